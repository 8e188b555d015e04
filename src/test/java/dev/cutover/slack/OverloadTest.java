package dev.cutover.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.app.Cutover;
import dev.cutover.deploy.DeployAction;
import dev.cutover.testing.Cards;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.ScriptedPlanetScale;
import dev.cutover.testing.SlackRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work runs on virtual threads bounded by how many tasks may be unfinished: past that bound a command is answered
 * "busy" in its ack and a click through its response_url, and nothing reaches PlanetScale for either.
 */
@Timeout(30)
class OverloadTest {
    static final String CHANNEL = "C0DEPLOYS";

    @TempDir
    Path dataDir;
    FakeSlackApi slack;
    ScriptedPlanetScale planetScale;
    RunningCutover cutover;
    SlackRequests requests;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlackApi().start();
        planetScale = new ScriptedPlanetScale().start();
        cutover = RunningCutover.against(planetScale.apiUrl(), slack, new FakeClock(), dataDir, Map.of(),
                new Cutover.Limits(1, 8, 8));
        requests = new SlackRequests(cutover);
    }

    @AfterEach
    void stop() {
        cutover.close();
        planetScale.close();
        slack.close();
    }

    @Test
    void pastTheBound_aCommandIsAnsweredBusyInItsAck_andAClickThroughItsResponseUrl() throws Exception {
        planetScale.delayEveryAnswer(Duration.ofSeconds(3));
        RunningCutover.HttpResult first = requests.command("U0FIRST", CHANNEL, "show shop 1", slack.responseUrl("first"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !planetScale.requests().isEmpty());

        RunningCutover.HttpResult second = requests.command("U0SECOND", CHANNEL, "show shop 2",
                slack.responseUrl("second"));
        RunningCutover.HttpResult click = requests.click("U0THIRD", CHANNEL, "1700000001.000003", true,
                DeployAction.REVERT.actionId(), RunningCutover.ORG + "/shop/3", null, slack.responseUrl("third"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).contains("very busy");
        assertThat(click.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> !slack.responses("third").isEmpty());
        assertThat(Cards.text(slack.responses("third").get(0).body())).contains("very busy");
        await().atMost(Duration.ofSeconds(10)).until(() -> !slack.responses("first").isEmpty());
        assertThat(Cards.text(slack.responses("first").get(0).body())).contains("shop #1:");
        assertThat(planetScale.requests().stream().map(ScriptedPlanetScale.Received::path))
                .noneMatch(path -> path.contains("/deploy-requests/2") || path.contains("/deploy-requests/3"));
    }
}
