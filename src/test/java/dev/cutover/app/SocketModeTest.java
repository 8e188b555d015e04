package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployAction;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.sandbox.ReceivedRequest;
import dev.cutover.testing.Answers;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.FakeSocketMode;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SlackRequests;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Socket Mode end to end: Cutover dials the fake Slack ({@code apps.connections.open} through SLACK_API_URL, then a
 * real WebSocket), and the same slash command and buttons as over HTTP are acked by envelope id and answered
 * through {@code response_url} and {@code chat.update}. Drops and refreshes must lose nothing.
 */
@Timeout(60)
class SocketModeTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().env("SLACK_APP_TOKEN", FakeSocketMode.APP_TOKEN);
    final FakeSlackApi slack = cutover.slack();
    final FakeSocketMode socketMode = slack.socketMode();

    @Test
    void connectsThroughSlackApiUrl_withTheAppToken_andSaysSoInHealthz() throws Exception {
        socketMode.awaitSockets(1);

        List<FakeSlackApi.Call> opens = slack.calls("apps.connections.open");
        assertThat(opens).hasSize(1);
        await().atMost(Answers.PATIENCE).until(() -> health().contains("\"slack\":\"socket_mode:connected\""));
        assertThat(metrics()).contains("cutover_socket_mode_connected 1.0");
    }

    @Test
    void doctor_reportsSocketModeAndItsState() throws Exception {
        socketMode.awaitSockets(1);
        await().atMost(Answers.PATIENCE).until(() -> health().contains("\"slack\":\"socket_mode:connected\""));

        String report = cutover.service().get("/healthz?verbose").body();

        assertThat(report).contains("\"subject\":\"Connection\"").contains("Socket Mode (connected)");
    }

    @Test
    void helpCommand_isAnsweredInTheAckPayload() {
        socketMode.awaitSockets(1);

        String envelope = socketMode.slashCommand(ALICE, CHANNEL, "help", slack.responseUrl("help"));

        JsonNode ack = socketMode.awaitAck(envelope);
        assertThat(ack.path("envelope_id").asText()).isEqualTo(envelope);
        assertThat(ack.path("payload").path("text").asText()).contains("/pscale deploy");
    }

    @Test
    void showCommand_isAcked_andAnsweredWithTheCardThroughTheResponseUrl() {
        socketMode.awaitSockets(1);

        String envelope = socketMode.slashCommand(ALICE, CHANNEL, "show shop 3", slack.responseUrl("show"));

        socketMode.awaitAck(envelope);
        JsonNode body = Answers.first(slack, "show");
        assertThat(Cards.text(body.path("blocks"))).contains("shop #3: product-badges → main");
        assertThat(Cards.actionIds(body.path("blocks"))).contains(DeployAction.DEPLOY.actionId());
        assertThat(body.path("response_type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void clickOnAChannelCard_deploysOnce_andUpdatesTheCard() {
        socketMode.awaitSockets(1);
        int number = readyRequest();
        JsonNode card = card("analytics " + number);
        String ts = "1700000001.000042";
        slack.seedMessage(CHANNEL, ts);
        String value = Cards.button(card, DeployAction.DEPLOY.actionId()).orElseThrow().path("value").asText();

        String envelope = socketMode.click(ALICE, CHANNEL, ts, false, DeployAction.DEPLOY.actionId(), value, card,
                slack.responseUrl("deploy"));

        socketMode.awaitAck(envelope);
        await().atMost(Answers.PATIENCE).until(() -> !updatesOf(ts).isEmpty());
        assertThat(Cards.text(updatesOf(ts).get(0).blocks()))
                .contains("<@" + ALICE + "> queued analytics#" + number + " for deploy");
        assertThat(deploys(number)).hasSize(1);
    }

    @Test
    void droppedConnection_isReestablished_andWhatSlackSentMeanwhileIsAnswered() throws Exception {
        socketMode.awaitSockets(1);

        socketMode.dropConnection();
        String envelope = socketMode.slashCommand(ALICE, CHANNEL, "show shop 3", slack.responseUrl("after-drop"));

        socketMode.awaitSockets(2);
        socketMode.awaitAck(envelope);
        assertThat(Cards.text(Answers.first(slack, "after-drop").path("blocks"))).contains("shop #3");
        assertThat(slack.calls("apps.connections.open")).hasSize(2);
        await().atMost(Answers.PATIENCE).until(() -> health().contains("socket_mode:connected"));
        assertThat(metrics()).contains("cutover_socket_mode_reconnects_total 1.0");
    }

    @Test
    void refreshRequest_opensANewConnection_thenLeavesTheOldOne() {
        socketMode.awaitSockets(1);

        socketMode.askForRefresh();

        socketMode.awaitSockets(2);
        await().atMost(Answers.PATIENCE).until(() -> socketMode.openSockets() == 1);
        String envelope = socketMode.slashCommand(ALICE, CHANNEL, "show shop 3", slack.responseUrl("after-refresh"));
        socketMode.awaitAck(envelope);
        assertThat(Cards.text(Answers.first(slack, "after-refresh").path("blocks"))).contains("shop #3");
        assertThat(slack.calls("apps.connections.open")).hasSize(2);
    }

    @Test
    void slackRefusingToConnect_isRetriedWithBackoff_untilItConnects() throws Exception {
        socketMode.awaitSockets(1);
        cutover.stop();
        slack.failNext("apps.connections.open", 3, FakeSlackApi.Fault.httpStatus(503));
        cutover.start();

        socketMode.awaitSockets(2); // one from the first start, one after three refusals
        assertThat(slack.calls("apps.connections.open")).hasSizeGreaterThanOrEqualTo(5);
        await().atMost(Answers.PATIENCE).until(() -> health().contains("socket_mode:connected"));
    }

    @Test
    void httpEndpoint_keepsWorkingInSocketMode() throws Exception {
        socketMode.awaitSockets(1);

        RunningCutover.HttpResult ack = new SlackRequests(cutover.service()).command(ALICE, CHANNEL, "show shop 3",
                slack.responseUrl("http"));

        assertThat(ack.status()).isEqualTo(200);
        assertThat(Cards.text(Answers.first(slack, "http").path("blocks"))).contains("shop #3");
    }

    @Test
    void withoutASigningSecret_slackEventsRejectsEverything_whileSocketModeServes() throws Exception {
        socketMode.awaitSockets(1);
        RunningCutover service = cutover.restartFresh(java.util.Map.of("SLACK_SIGNING_SECRET", ""));
        socketMode.awaitSockets(2);

        RunningCutover.HttpResult forged = new SlackRequests(service).command(ALICE, CHANNEL, "show shop 3",
                slack.responseUrl("http"));
        String envelope = socketMode.slashCommand(ALICE, CHANNEL, "show shop 3", slack.responseUrl("socket"));

        assertThat(forged.status()).isEqualTo(401);
        socketMode.awaitAck(envelope);
        assertThat(Cards.text(Answers.first(slack, "socket").path("blocks"))).contains("shop #3");
        assertThat(slack.responses("http")).isEmpty();
    }

    private JsonNode card(String target) {
        String envelope = socketMode.slashCommand(ALICE, CHANNEL, "show " + target, slack.responseUrl("card"));
        socketMode.awaitAck(envelope);
        return Answers.first(slack, "card").path("blocks");
    }

    private List<FakeSlackApi.Call> updatesOf(String ts) {
        return slack.calls("chat.update").stream().filter(call -> ts.equals(call.param("ts"))).toList();
    }

    private List<ReceivedRequest> deploys(int number) {
        String path = "/v1/organizations/" + RunningCutover.ORG + "/databases/analytics/deploy-requests/" + number
                + "/deploy";
        return cutover.service().simulator().requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals(path)).toList();
    }

    private int readyRequest() {
        DeployRequestSeed seed = DeployRequestSeed.of("analytics", "socket-branch", new Actor("dana", "Dana"),
                List.of("ALTER TABLE `events` ADD COLUMN `source` varchar(32) NULL")).withChecksDone();
        return cutover.service().simulator().createDeployRequest(seed);
    }

    private String health() throws Exception {
        return cutover.service().get("/healthz").body();
    }

    private String metrics() throws Exception {
        return cutover.service().get("/metrics").body();
    }
}
