package dev.cutover.faults;

import static dev.cutover.faults.ScriptedPlanetScale.deployRequestPath;
import static dev.cutover.faults.ScriptedPlanetScale.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PlanetScale misbehaving under a read ({@code /pscale show}) and a write ({@code /pscale deploy}, a Deploy click),
 * over HTTP end to end: reads are retried, writes are sent exactly once, the person is told plainly whether
 * anything changed, and Slack's ack never waits for PlanetScale.
 */
@Timeout(60)
class PlanetScaleFaultsTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String SHOW_7 = "GET " + deployRequestPath(7);
    static final String DEPLOY_7 = "POST " + deployRequestPath(7) + "/deploy";
    /** Slack gives an app 3 s to ack; an ack that waited for PlanetScale would take at least a retry's pause. */
    static final Duration IMMEDIATE = Duration.ofMillis(1500);

    final ScriptedPlanetScale planetScale = new ScriptedPlanetScale().start();
    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.against(planetScale::apiUrl).closing(planetScale);
    final FakeSlackApi slack = cutover.slack();

    // ---- 429 ----

    @Test
    void rateLimitedRead_isRetriedAfterRetryAfter_andTheCardIsShown() throws Exception {
        planetScale.failNext(SHOW_7, status(429).setHeader("Retry-After", "1"));

        String answer = command("show shop 7");

        assertThat(answer).contains("add-orders-index").doesNotContain("rate limiting");
        assertThat(planetScale.count(SHOW_7)).isEqualTo(2);
    }

    @Test
    void rateLimitedDeployCommand_isNotRetried_andSaysNothingChangedTryAgain() throws Exception {
        planetScale.failNext(DEPLOY_7, status(429).setHeader("Retry-After", "1"));

        String answer = command("deploy shop 7");

        assertThat(answer).contains("rate limiting").contains("nothing was changed").contains("Try again");
        assertThat(planetScale.count(DEPLOY_7)).isEqualTo(1);
    }

    @Test
    void rateLimitedDeployClick_isNotRetried_andSaysNothingChangedTryAgain() throws Exception {
        planetScale.failNext(DEPLOY_7, status(429).setHeader("Retry-After", "1"));

        String answer = clickDeploy(7);

        assertThat(answer).contains("rate limiting").contains("nothing was changed").contains("Try again");
        assertThat(planetScale.count(DEPLOY_7)).isEqualTo(1);
    }

    // ---- 500 / 503 ----

    @ParameterizedTest
    @ValueSource(ints = {500, 503})
    void serverErrorOnRead_isTriedThreeTimes_thenSaysUnavailableNothingChanged(int code) throws Exception {
        planetScale.failNext(SHOW_7, status(code), status(code), status(code));

        String answer = command("show shop 7");

        assertThat(answer).contains("unavailable right now (HTTP " + code + ")").contains("nothing was changed");
        assertThat(planetScale.count(SHOW_7)).isEqualTo(3);
    }

    @Test
    void serverErrorOnRead_thatClears_isRetriedAndTheCardIsShown() throws Exception {
        planetScale.failNext(SHOW_7, status(503), status(500));

        String answer = command("show shop 7");

        assertThat(answer).contains("add-orders-index");
        assertThat(planetScale.count(SHOW_7)).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503})
    void serverErrorOnDeployCommand_isSentExactlyOnce(int code) throws Exception {
        planetScale.failNext(DEPLOY_7, status(code));

        String answer = command("deploy shop 7");

        assertThat(answer).contains("unavailable right now (HTTP " + code + ")");
        assertThat(planetScale.count(DEPLOY_7)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503})
    void serverErrorOnDeployClick_isSentExactlyOnce(int code) throws Exception {
        planetScale.failNext(DEPLOY_7, status(code));

        String answer = clickDeploy(7);

        assertThat(answer).contains("unavailable right now (HTTP " + code + ")");
        assertThat(planetScale.count(DEPLOY_7)).isEqualTo(1);
    }

    // ---- connection reset ----

    @ParameterizedTest
    @EnumSource(value = SocketPolicy.class, names = {"DISCONNECT_AFTER_REQUEST", "DISCONNECT_DURING_RESPONSE_BODY"})
    void connectionLostDuringDeployCommand_saysItMayOrMayNotHaveHappened_andIsNeverResent(SocketPolicy policy)
            throws Exception {
        planetScale.failNext(DEPLOY_7, lostAnswer(policy));

        String answer = command("deploy shop 7");

        assertThat(answer).contains("may or may not have happened").contains("Refresh")
                .doesNotContain("nothing was changed");
        assertThat(planetScale.count(DEPLOY_7)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SocketPolicy.class, names = {"DISCONNECT_AFTER_REQUEST", "DISCONNECT_DURING_RESPONSE_BODY"})
    void connectionLostDuringDeployClick_saysItMayOrMayNotHaveHappened_andIsNeverResent(SocketPolicy policy)
            throws Exception {
        planetScale.failNext(DEPLOY_7, lostAnswer(policy));

        String answer = clickDeploy(7);

        assertThat(answer).contains("may or may not have happened").doesNotContain("nothing was changed");
        assertThat(planetScale.count(DEPLOY_7)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = SocketPolicy.class, names = {"DISCONNECT_AFTER_REQUEST", "DISCONNECT_DURING_RESPONSE_BODY"})
    void connectionLostDuringRead_isRetriedAndTheCardIsShown(SocketPolicy policy) throws Exception {
        planetScale.failNext(SHOW_7, lostAnswer(policy));

        String answer = command("show shop 7");

        assertThat(answer).contains("add-orders-index");
        assertThat(planetScale.count(SHOW_7)).isEqualTo(2);
    }

    // ---- no answer at all ----

    /**
     * The client's read timeout (10 s) is a constant of the PlanetScale client, so this waits it out for real, once:
     * the read and the write run side by side. The read's first attempt gets no answer and its retry succeeds; the
     * write gets no answer, is reported as unknown, and is never resent.
     */
    @Test
    void noAnswerWithinTheReadTimeout_readIsRetried_writeIsReportedUnknownAndNeverResent() throws Exception {
        String deploy8 = "POST " + deployRequestPath(8) + "/deploy";
        planetScale.failNext(SHOW_7, new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        planetScale.failNext(deploy8, new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> uncheckedCommand("show shop 7", "read"));
        CompletableFuture<String> write = CompletableFuture.supplyAsync(() -> uncheckedCommand("deploy shop 8", "write"));

        assertThat(read.get()).contains("add-orders-index");
        assertThat(planetScale.count(SHOW_7)).isEqualTo(2);
        assertThat(write.get()).contains("may or may not have happened");
        assertThat(planetScale.count(deploy8)).isEqualTo(1);
    }

    private static MockResponse lostAnswer(SocketPolicy policy) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(ScriptedPlanetScale.deployRequest(7, "queued").toString()).setSocketPolicy(policy);
    }

    /** Types {@code /pscale text}, checks the ack was immediate, and returns what the person was told. */
    private String command(String text) throws Exception {
        return command(text, "answer");
    }

    private String command(String text, String responseName) throws Exception {
        if (dev.cutover.testing.SlackRequests.isWrite(text)) {
            // A typed write asks first: press its confirm step, then read the outcome.
            return dev.cutover.testing.Cards.text(new dev.cutover.testing.SlackRequests(cutover.service())
                    .write(slack, ALICE, CHANNEL, text, slack.responseUrl(responseName)));
        }
        RunningCutover.HttpResult ack = cutover.service().command(ALICE, CHANNEL, text, slack.responseUrl(responseName));
        assertImmediateEmptyAck(ack);
        return awaitAnswer(responseName);
    }

    private String uncheckedCommand(String text, String responseName) {
        try {
            return command(text, responseName);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Clicks Deploy on a channel card of {@code shop#number}, checks the ack, and returns what the clicker was told. */
    private String clickDeploy(int number) throws Exception {
        String value = new DeployRef(RunningCutover.ORG, "shop", number).toButtonValue();

        int views = slack.calls("views.open").size();
        RunningCutover.HttpResult ack = cutover.service().click(ALICE, CHANNEL, "1700000000.000100", false,
                DeployAction.DEPLOY.actionId(), value, null, slack.responseUrl("answer"));

        assertImmediateEmptyAck(ack);
        // The scripted deploy request drops data: its deploy is confirmed in a modal, by the table's name.
        await().atMost(Duration.ofSeconds(25)).until(() -> !slack.responses("answer").isEmpty()
                || slack.calls("views.open").size() > views);
        if (slack.calls("views.open").size() > views) {
            new dev.cutover.testing.SlackRequests(cutover.service()).submitModal(slack, ALICE, views);
        }
        return awaitAnswer("answer");
    }

    private static void assertImmediateEmptyAck(RunningCutover.HttpResult ack) {
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.took()).isLessThan(IMMEDIATE);
        assertThat(ack.body()).isEmpty();
    }

    private String awaitAnswer(String responseName) {
        await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses(responseName).isEmpty());
        List<FakeSlackApi.Response> responses = slack.responses(responseName);
        assertThat(responses).hasSize(1);
        return responses.get(0).body().toString();
    }
}
