package dev.cutover.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.DeployAction;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.ScriptedPlanetScale;
import dev.cutover.testing.SlackRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slack times the HTTP ack, not the answer: with PlanetScale taking 1.5 s per call, 20 commands and 20 clicks
 * sent at once are all acked at once, and every person still gets their answer through the response_url.
 */
@Timeout(60)
class SlowPlanetScaleTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final int COMMANDS = 20;
    static final int CLICKS = 20;
    static final Duration SLOWNESS = Duration.ofMillis(1500);

    final ScriptedPlanetScale planetScale = new ScriptedPlanetScale().start();
    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.against(planetScale::apiUrl).closing(planetScale);
    final FakeSlackApi slack = cutover.slack();
    SlackRequests requests;
    ExecutorService senders;

    @BeforeEach
    void start() {
        requests = new SlackRequests(cutover.service());
        senders = Executors.newFixedThreadPool(COMMANDS + CLICKS);
    }

    @AfterEach
    void stop() {
        senders.shutdownNow();
    }

    @Test
    void concurrentCommandsAndClicks_areAckedWellUnderThreeSeconds_andEveryoneGetsAnAnswer() throws Exception {
        warmUp();
        planetScale.delayEveryAnswer(SLOWNESS);
        List<Callable<RunningCutover.HttpResult>> sends = new ArrayList<>();
        for (int i = 1; i <= COMMANDS; i++) {
            int number = i;
            sends.add(() -> requests.command(user(number), CHANNEL, "show shop " + number,
                    slack.responseUrl("command-" + number)));
        }
        for (int i = COMMANDS + 1; i <= COMMANDS + CLICKS; i++) {
            int number = i;
            sends.add(() -> requests.click(user(number), CHANNEL, "1700000001." + (100000 + number), true,
                    DeployAction.REVERT.actionId(), RunningCutover.ORG + "/shop/" + number, null,
                    slack.responseUrl("click-" + number)));
        }

        List<Future<RunningCutover.HttpResult>> acks = senders.invokeAll(sends);

        for (Future<RunningCutover.HttpResult> ack : acks) {
            assertThat(ack.get().status()).isEqualTo(200);
            assertThat(ack.get().took()).isLessThan(Duration.ofSeconds(1));
        }
        // Commands are answered; each revert click opens its confirmation modal, which each person then submits.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> answered() == COMMANDS && slack.calls("views.open").size() == CLICKS);
        for (JsonNode view : slack.openedViews()) {
            senders.submit(() -> requests.submit("U0USER99", view, view.toString().contains("confirm_name")
                    ? SlackRequests.expectedName(view) : null));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> answered() == acks.size());
        for (int number = 1; number <= COMMANDS; number++) {
            assertThat(Cards.text(slack.responses("command-" + number).get(0).body()))
                    .contains("shop #" + number + ":");
        }
        for (int number = COMMANDS + 1; number <= COMMANDS + CLICKS; number++) {
            assertThat(Cards.text(slack.responses("click-" + number).get(0).body()))
                    .contains("started a revert of shop#" + number);
            assertThat(planetScale.requests("POST", ScriptedPlanetScale.path("shop", number, "revert"))).hasSize(1);
        }
    }

    /** One command and one click first, so the burst measures acks and not the JVM loading Bolt's classes. */
    private void warmUp() throws Exception {
        assertThat(requests.command("U0WARM", CHANNEL, "help", slack.responseUrl("warm")).status()).isEqualTo(200);
        assertThat(requests.click("U0WARM", CHANNEL, "1700000001.000001", true, DeployRequestCard.OPEN_ACTION_ID,
                RunningCutover.ORG + "/shop/1", null, slack.responseUrl("warm")).status()).isEqualTo(200);
    }

    private long answered() {
        long commands = IntStream.rangeClosed(1, COMMANDS)
                .filter(n -> !slack.responses("command-" + n).isEmpty()).count();
        long clicks = IntStream.rangeClosed(COMMANDS + 1, COMMANDS + CLICKS)
                .filter(n -> !slack.responses("click-" + n).isEmpty()).count();
        return commands + clicks;
    }

    private static String user(int number) {
        return String.format("U0USER%02d", number);
    }
}
