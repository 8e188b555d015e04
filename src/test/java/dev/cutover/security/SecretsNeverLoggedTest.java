package dev.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.cutover.config.Config;
import dev.cutover.config.ConfigException;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.FakeSlackApi.Fault;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.Signatures;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run full of failures, logged at DEBUG everywhere: bad signatures, PlanetScale answering 401 and 500 with our
 * credentials echoed back, Slack answering {@code invalid_auth}, a configuration error. No secret shows up in any
 * log line, any answer to a person, any HTTP answer, {@code /metrics} or {@code /healthz}.
 */
@Timeout(60)
class SecretsNeverLoggedTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String TOKEN_ID = "test-token-id";
    static final String TOKEN = "pscale_tkn_test_secret_value";
    static final List<String> SECRETS = List.of(FakeSlackApi.BOT_TOKEN, RunningCutover.SIGNING_SECRET,
            RunningCutover.WEBHOOK_SECRET, TOKEN_ID, TOKEN, TOKEN_ID + ":" + TOKEN);

    @TempDir
    Path dataDir;

    @Test
    void noSecretIsLoggedOrShown_throughoutARunOfFailures() throws Exception {
        List<String> seen = new ArrayList<>();
        List<String> responseNames = List.of("show", "list", "subscribe", "deploy", "forged");
        try (CapturedLogs logs = CapturedLogs.startAtDebug();
                MockWebServer planetScale = echoingPlanetScale();
                FakeSlackApi slack = new FakeSlackApi().start();
                RunningCutover cutover = RunningCutover.against("http://127.0.0.1:" + planetScale.getPort() + "/v1",
                        slack, new FakeClock(), dataDir, Map.of("CUTOVER_DEFAULT_CHANNEL", CHANNEL))) {
            slack.failNext("conversations.info", 5, Fault.error("invalid_auth"));
            slack.failNext("chat.postMessage", 5, Fault.error("invalid_auth"));

            // Forged requests on both endpoints.
            byte[] form = RunningCutover.formBody(Map.of("command", "/pscale", "text", "list",
                    "response_url", slack.responseUrl("forged")));
            seen.add(cutover.post("/slack/events", form, Map.of("X-Slack-Request-Timestamp", "1",
                    "X-Slack-Signature", Signatures.slack("wrong", 1, form)),
                    MediaType.get("application/x-www-form-urlencoded")).body());
            seen.add(cutover.post("/webhooks/planetscale", form, Map.of("X-PlanetScale-Signature", "00"),
                    MediaType.get("application/json")).body());
            // PlanetScale failing (401, 500), with the credentials it received echoed in its error messages.
            seen.add(cutover.command("U0ALICE", CHANNEL, "show shop 7", slack.responseUrl("show")).body());
            seen.add(cutover.command("U0ALICE", CHANNEL, "list shop", slack.responseUrl("list")).body());
            seen.add(cutover.command("U0ALICE", CHANNEL, "deploy shop 7", slack.responseUrl("deploy")).body());
            // Slack refusing the bot token.
            seen.add(cutover.command("U0ALICE", CHANNEL, "subscribe analytics", slack.responseUrl("subscribe")).body());
            seen.add(cutover.webhook(queuedEvent()).body());
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> responseNames.stream().filter(name -> !name.equals("forged"))
                            .allMatch(name -> !slack.responses(name).isEmpty())
                            && !slack.calls("chat.postMessage").isEmpty());
            responseNames.forEach(name -> slack.responses(name).forEach(r -> seen.add(r.body().toString())));
            seen.add(cutover.get("/metrics").body());
            seen.add(cutover.get("/healthz").body());
            // A configuration error that involves secrets.
            Map<String, String> badEnv = new HashMap<>(Map.of("SLACK_BOT_TOKEN", "xoxp-" + TOKEN,
                    "SLACK_SIGNING_SECRET", RunningCutover.SIGNING_SECRET, "PLANETSCALE_SERVICE_TOKEN", TOKEN,
                    "PLANETSCALE_SERVICE_TOKEN_ID", TOKEN_ID, "PORT", "not-a-port"));
            seen.add(catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(badEnv, false))
                    .getMessage());

            assertThat(logs.lines()).as("the run was logged at DEBUG").anyMatch(line -> line.startsWith("DEBUG"));
            assertThat(logs.lines()).anyMatch(line -> line.contains("invalid_auth"));
            assertThat(seen).anyMatch(text -> text.contains("HTTP 401"));
            assertNoSecretIn(logs.lines(), "log");
            assertNoSecretIn(seen, "answer");
        }
    }

    private static void assertNoSecretIn(List<String> texts, String what) {
        for (String text : texts) {
            for (String secret : SECRETS) {
                assertThat(text).as("a %s", what).doesNotContain(secret);
            }
        }
    }

    /**
     * PlanetScale answering 401 to database reads and 500 to everything else, quoting the Authorization header it
     * got, as a careless proxy might.
     */
    private static MockWebServer echoingPlanetScale() throws Exception {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String authorization = String.valueOf(request.getHeader("Authorization"));
                boolean databaseRead = request.getPath() != null && request.getPath().matches(".*/databases(/[a-z]+)?(\\?.*)?");
                int status = databaseRead ? 401 : 500;
                return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                        .setBody("{\"code\":\"" + (status == 401 ? "unauthorized" : "internal") + "\",\"message\":"
                                + "\"token " + authorization + " (" + authorization.replace(":", " / ") + ")\"}");
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        return server;
    }

    private static byte[] queuedEvent() throws Exception {
        try (InputStream in = SecretsNeverLoggedTest.class.getResourceAsStream(
                "/planetscale/webhook-deploy-request-queued.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"organization\": \"acme\"", "\"organization\": \"" + RunningCutover.ORG + "\"")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
