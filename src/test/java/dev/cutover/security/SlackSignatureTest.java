package dev.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.Signatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /slack/events} over HTTP: anything not signed by Slack with our secret, now, gets 401 before any
 * listener runs, so it reaches neither PlanetScale nor Slack.
 */
@Timeout(30)
class SlackSignatureTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();

    @Test
    void forgedSignature_isRejectedWith401_andNoListenerRuns() throws Exception {
        byte[] body = deployCommand("forged");
        long now = now();

        RunningCutover.HttpResult result = post(body, Long.toString(now),
                Signatures.slack("not-the-signing-secret", now, body));

        assertThat(result.status()).isEqualTo(401);
        assertNothingRan("forged");
    }

    @Test
    void missingSignatureHeader_isRejectedWith401_andNoListenerRuns() throws Exception {
        byte[] body = deployCommand("unsigned");

        RunningCutover.HttpResult result = post(body, Long.toString(now()), null);

        assertThat(result.status()).isEqualTo(401);
        assertNothingRan("unsigned");
    }

    @Test
    void missingTimestampHeader_isRejectedWith401_andNoListenerRuns() throws Exception {
        byte[] body = deployCommand("no-timestamp");

        RunningCutover.HttpResult result = post(body, null, Signatures.slack(RunningCutover.SIGNING_SECRET, now(), body));

        assertThat(result.status()).isEqualTo(401);
        assertNothingRan("no-timestamp");
    }

    @Test
    void replayedRequest_olderThanFiveMinutes_isRejectedWith401_andNoListenerRuns() throws Exception {
        byte[] body = deployCommand("replayed");
        long then = now();
        String signature = Signatures.slack(RunningCutover.SIGNING_SECRET, then, body);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        RunningCutover.HttpResult result = post(body, Long.toString(then), signature);

        assertThat(result.status()).isEqualTo(401);
        assertNothingRan("replayed");
    }

    @Test
    void farFutureTimestamp_isRejectedWith401_evenWhenCorrectlySigned() throws Exception {
        byte[] body = deployCommand("future");
        long future = now() + Duration.ofDays(1).toSeconds();

        RunningCutover.HttpResult result = post(body, Long.toString(future),
                Signatures.slack(RunningCutover.SIGNING_SECRET, future, body));

        assertThat(result.status()).isEqualTo(401);
        assertNothingRan("future");
    }

    @Test
    void bodyChangedAfterSigning_isRejectedWith401() throws Exception {
        byte[] signed = deployCommand("tampered");
        byte[] sent = new String(signed, StandardCharsets.UTF_8).replace("shop+1", "shop+2")
                .getBytes(StandardCharsets.UTF_8);
        long now = now();

        RunningCutover.HttpResult result = post(sent, Long.toString(now),
                Signatures.slack(RunningCutover.SIGNING_SECRET, now, signed));

        assertThat(result.status()).isEqualTo(401);
        assertNothingRan("tampered");
    }

    @Test
    void rejection_saysNothingAboutWhy() throws Exception {
        RunningCutover.HttpResult result = post(deployCommand("forged"), Long.toString(now()), "v0=00");

        assertThat(result.body()).isEqualTo("{\"error\":\"invalid request\"}");
    }

    @Test
    void nonAsciiCommand_signedOverItsUtf8Bytes_isAcceptedAndCarriedOutIntact() throws Exception {
        int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of("analytics", "add-index",
                new Actor("bob", "Bob"), List.of("ALTER TABLE events ADD INDEX idx_at (at)")).withChecksDone());

        RunningCutover.HttpResult result = cutover.service().command(ALICE, CHANNEL, "comment analytics " + number
                + " déjà vu 🚀", slack.responseUrl("emoji"));

        assertThat(result.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses("emoji").isEmpty());
        assertThat(cutover.service().simulator().requests()).filteredOn(request -> request.method().equals("POST"))
                .singleElement().satisfies(request -> assertThat(new ObjectMapper().readTree(request.body()).path("body")
                        .asText()).startsWith("déjà vu 🚀"));
    }

    /**
     * Nothing a rejected request could have started shows up: a valid command sent afterwards is answered, and it is
     * the only thing that reached PlanetScale or Slack. (Listeners run on one queue-fed executor, so work from the
     * rejected request would have been queued first.)
     */
    private void assertNothingRan(String rejectedResponseName) throws IOException {
        int planetScaleBefore = cutover.service().simulator().requests().size();
        assertThat(slack.calls()).isEmpty();

        cutover.service().command(ALICE, CHANNEL, "show shop 1", slack.responseUrl("valid"));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses("valid").isEmpty());

        assertThat(planetScaleBefore).isZero();
        assertThat(slack.responses(rejectedResponseName)).isEmpty();
        assertThat(slack.calls()).isEmpty();
        assertThat(cutover.service().simulator().requests()).noneMatch(request -> request.method().equals("POST"));
    }

    private byte[] deployCommand(String responseName) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("team_id", FakeSlackApi.TEAM_ID);
        form.put("channel_id", CHANNEL);
        form.put("user_id", ALICE);
        form.put("user_name", "alice");
        form.put("command", "/pscale");
        form.put("text", "deploy shop 1");
        form.put("response_url", slack.responseUrl(responseName));
        form.put("trigger_id", "1337.42.abcd");
        return RunningCutover.formBody(form);
    }

    private RunningCutover.HttpResult post(byte[] body, String timestamp, String signature) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (timestamp != null) {
            headers.put("X-Slack-Request-Timestamp", timestamp);
        }
        if (signature != null) {
            headers.put("X-Slack-Signature", signature);
        }
        return cutover.service().post("/slack/events", body, headers, FORM);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
