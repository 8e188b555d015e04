package dev.cutover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code CUTOVER_SANDBOX_SPEED}: the sandbox's lifecycle, revert window included, runs that many times faster, and
 * Cutover's revert-window reminder keeps its place in the shorter window, so a trial sees the whole story in
 * minutes. And the card's link leads to the sandbox's own read-only page instead of a 404 on planetscale.com.
 */
@Timeout(30)
class SandboxSpeedTest {
    static final String CHANNEL = "C0WATCH";
    static final String ALICE = "U0ALICE";
    static final String DATABASE = "analytics";

    /** Steps.DEFAULT (tests' pace, 30-minute window) ten times faster: a 3-minute window, reminder 30 s before. */
    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_SANDBOX_SPEED", "10");
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();
    PlanetScaleSimulator simulator;
    int number;
    String threadTs;

    @BeforeEach
    void deployIntoTheRevertWindow() throws Exception {
        simulator = cutover.service().simulator();
        cutover.service().command(ALICE, CHANNEL, "subscribe " + DATABASE, slack.responseUrl("subscribe"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !slack.responses("subscribe").isEmpty());
        number = simulator.createDeployRequest(DeployRequestSeed.of(DATABASE, "add-index",
                new Actor("bob", "Bob Builder"), List.of("ALTER TABLE `events` ADD INDEX `idx_created` (`created_at`)"))
                .withChecksDone());
        await().atMost(Duration.ofSeconds(5)).until(() -> !slack.posts(CHANNEL).isEmpty());
        threadTs = slack.tsOf(slack.posts(CHANNEL).get(0));

        new dev.cutover.testing.SlackRequests(cutover.service()).typedWrite(slack, ALICE, CHANNEL,
                "deploy " + DATABASE + " " + number, slack.responseUrl("deploy"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.responses("deploy").size() >= 2); // confirm step, outcome
        // At 10x, queue + run + cutover take 0.2 + 1 + 0.3 s instead of 15 s.
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMillis(1_000));
            simulator.tick();
        }
        assertThat(simulator.stateOf(DATABASE, number)).isEqualTo(DeploymentState.COMPLETE_PENDING_REVERT);
        await().atMost(Duration.ofSeconds(5)).until(() -> cutover.service().get("/healthz").body()
                .contains("\"outbox\":0") && slack.replies(CHANNEL, threadTs).size() >= 3);
    }

    @Test
    void revertWindowLastsThreeMinutes_andItsReminderComesThirtySecondsBeforeItCloses() {
        int replies = slack.replies(CHANNEL, threadTs).size();

        clock.advance(Duration.ofMinutes(2).plusSeconds(25));
        cutover.service().cutover().deliverNow();
        assertThat(slack.replies(CHANNEL, threadTs)).hasSize(replies);

        clock.advance(Duration.ofSeconds(5));
        cutover.service().cutover().deliverNow();
        List<FakeSlackApi.Call> afterReminder = slack.replies(CHANNEL, threadTs);
        assertThat(afterReminder).hasSize(replies + 1);
        assertThat(afterReminder.get(replies).param("text")).contains("revert window");

        clock.advance(Duration.ofSeconds(31));
        simulator.tick();
        assertThat(simulator.stateOf(DATABASE, number)).isEqualTo(DeploymentState.COMPLETE);
    }

    @Test
    void theCardsLink_opensAReadOnlyPageWithTheDdlAndState() throws Exception {
        String summary = slack.posts(CHANNEL).get(0).blocks().toString();
        Matcher link = Pattern.compile("<(http://127\\.0\\.0\\.1:[0-9]+/[^|>]+)\\|").matcher(summary);
        assertThat(link.find()).as(summary).isTrue();

        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(link.group(1))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(link.group(1)).endsWith("/" + simulator.org() + "/" + DATABASE + "/deploy-requests/" + number);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(page.body()).contains("ALTER TABLE `events` ADD INDEX `idx_created` (`created_at`)")
                .contains("complete_pending_revert").contains("Revert window closes").contains("sandbox");
    }

    @Test
    void pageOfAnUnknownDeployRequest_is404_andTheApiIsUntouched() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(simulator.pagesUrl() + "/" + simulator.org() + "/" + DATABASE + "/deploy-requests/999"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(simulator.requests()).noneMatch(request -> request.path().contains("999"));
    }
}
