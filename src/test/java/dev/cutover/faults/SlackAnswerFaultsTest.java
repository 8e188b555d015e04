package dev.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.security.CapturedLogs;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi.Fault;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The interactive path when Slack itself misbehaves: a failed answer is logged and forgotten, a card that cannot be
 * updated in place is replaced through the response_url, and nothing Cutover serves waits on Slack.
 */
@Timeout(30)
class SlackAnswerFaultsTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String CARD_TS = "1700000000.000100";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    CapturedLogs logs;

    @BeforeEach
    void start() {
        logs = CapturedLogs.start();
    }

    @AfterEach
    void stop() {
        logs.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 404})
    void responseUrlFailing_isLogged_andTheNextCommandStillWorks(int status) throws Exception {
        slack.failNextResponses("first", 1, Fault.httpStatus(status));

        RunningCutover.HttpResult ack = cutover.service().command(ALICE, CHANNEL, "show shop 1", slack.responseUrl("first"));

        assertThat(ack.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> logs.lines().stream()
                .anyMatch(line -> line.contains("Could not answer through response_url: http_" + status)));
        assertThat(slack.responses("first")).isEmpty();
        cutover.service().command(ALICE, CHANNEL, "show shop 1", slack.responseUrl("second"));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses("second").isEmpty());
        assertThat(logs.lines()).noneMatch(line -> line.startsWith("ERROR"));
    }

    @Test
    void chatUpdateRateLimited_afterAClick_replacesTheCardThroughTheResponseUrl() throws Exception {
        slack.failNext("chat.update", 1, Fault.rateLimited(30));

        JsonNode answer = clickDeployOnChannelCard();

        assertThat(slack.calls("chat.update")).hasSize(1);
        assertThat(answer.path("replace_original").asBoolean()).isTrue();
        assertThat(answer.path("blocks").toString()).contains("add-index");
    }

    @Test
    void chatUpdateAnsweringRatelimitedWith200_afterAClick_replacesTheCardThroughTheResponseUrl() throws Exception {
        slack.failNext("chat.update", 1, Fault.error("ratelimited"));

        JsonNode answer = clickDeployOnChannelCard();

        assertThat(slack.calls("chat.update")).hasSize(1);
        assertThat(answer.path("replace_original").asBoolean()).isTrue();
        assertThat(answer.path("blocks").toString()).contains("add-index");
    }

    @Test
    void chatUpdateMessageNotFound_afterAClick_replacesTheCardThroughTheResponseUrl() throws Exception {
        // The clicked message was never seeded in the fake, so chat.update answers message_not_found.
        JsonNode answer = clickDeployOnChannelCard(false);

        assertThat(slack.calls("chat.update")).singleElement()
                .satisfies(call -> assertThat(call.param("ts")).isEqualTo(CARD_TS));
        assertThat(answer.path("replace_original").asBoolean()).isTrue();
        assertThat(answer.path("blocks").toString()).contains("add-index");
    }

    @Test
    void slackDown_healthzStillAnswers200_andCommandsAndClicksStillAck() throws Exception {
        slack.down();

        RunningCutover.HttpResult health = cutover.service().get("/healthz");
        RunningCutover.HttpResult command = cutover.service().command(ALICE, CHANNEL, "show shop 1", slack.responseUrl("down"));
        RunningCutover.HttpResult help = cutover.service().command(ALICE, CHANNEL, "help", slack.responseUrl("down"));
        RunningCutover.HttpResult click = cutover.service().click(ALICE, CHANNEL, CARD_TS, false,
                DeployAction.DEPLOY.actionId(), new DeployRef(RunningCutover.ORG, "shop", 1).toButtonValue(), null,
                slack.responseUrl("down"));

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"");
        assertThat(command.status()).isEqualTo(200);
        assertThat(command.took()).isLessThan(Duration.ofSeconds(1));
        assertThat(help.status()).isEqualTo(200);
        assertThat(help.body()).contains("/pscale");
        assertThat(click.status()).isEqualTo(200);
        assertThat(click.took()).isLessThan(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> logs.lines().stream()
                .filter(line -> line.contains("Could not answer through response_url")).count() >= 2);
        assertThat(cutover.service().get("/healthz").status()).isEqualTo(200);
    }

    /** Delivery to Slack once it is back is the notification suite's concern; here only intake is. */
    @Test
    void slackDown_webhooksAreStillAccepted() throws Exception {
        slack.down();
        int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of("analytics", "add-index",
                new Actor("bob", "Bob"), List.of("ALTER TABLE events ADD INDEX idx_at (at)")));
        RunningCutover.HttpResult health = cutover.service().get("/healthz");

        assertThat(health.status()).isEqualTo(200);
        assertThat(cutover.service().simulator().stateOf("analytics", number)).isEqualTo(DeploymentState.PENDING);
        assertThat(cutover.service().get("/metrics").body()).contains("cutover_webhook_events_total{outcome=\"accepted\"} 1.0");
    }

    private JsonNode clickDeployOnChannelCard() throws Exception {
        return clickDeployOnChannelCard(true);
    }

    /** A ready deploy request in analytics; Alice clicks Deploy on its card in the channel; returns the response_url answer. */
    private JsonNode clickDeployOnChannelCard(boolean messageExists) throws Exception {
        int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of("analytics", "add-index",
                new Actor("bob", "Bob"), List.of("ALTER TABLE events ADD INDEX idx_at (at)")).withChecksDone());
        if (messageExists) {
            slack.seedMessage(CHANNEL, CARD_TS);
        }

        RunningCutover.HttpResult ack = cutover.service().click(ALICE, CHANNEL, CARD_TS, false, DeployAction.DEPLOY.actionId(),
                new DeployRef(RunningCutover.ORG, "analytics", number).toButtonValue(), null,
                slack.responseUrl("click"));

        assertThat(ack.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses("click").isEmpty());
        assertThat(cutover.service().simulator().stateOf("analytics", number)).isNotEqualTo(DeploymentState.READY);
        return slack.responses("click").get(0).body();
    }
}
