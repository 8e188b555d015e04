package dev.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.Signatures;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash window the post ledger closes: Cutover runs as a child JVM, Slack accepts its post, and the process is
 * SIGKILLed before Slack's answer reaches it (so before the store records the post). The next process on the same
 * data directory finds the message in the channel and adopts it: the channel shows one card, not two.
 */
class KillMidPostTest {
    static final String CHANNEL = "C0KILL";
    /** Nothing listens here: PlanetScale reads fail at once, which delivery tolerates. */
    static final String NO_PLANETSCALE = "http://127.0.0.1:9/v1";

    @TempDir
    Path dataDir;

    @Test
    @Timeout(120)
    void sigkill_betweenSlackAcceptingAPostAndTheStoreRecordingIt_postsOnce() throws Exception {
        try (FakeSlackApi slack = new FakeSlackApi().start()) {
            // Slack takes the post at once but holds its answer: the child is killed while waiting for it.
            slack.failNext("chat.postMessage", 1, FakeSlackApi.Fault.delay(Duration.ofSeconds(3)));
            int port = freePort();
            Process child = startChild(slack, port);
            try {
                awaitHealthy(port);
                byte[] body = StoreFailureTest.queuedEvent();
                assertThat(postWebhook(port, body)).isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> slack.posts(CHANNEL).size() == 1);
            } finally {
                child.toHandle().destroyForcibly(); // SIGKILL
                child.waitFor(10, TimeUnit.SECONDS);
            }

            FakeClock clock = new FakeClock(Instant.now().plus(Duration.ofMinutes(1)));
            try (RunningCutover restarted = RunningCutover.against(NO_PLANETSCALE, slack, clock, dataDir,
                    Map.of("CUTOVER_DEFAULT_CHANNEL", CHANNEL))) {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    restarted.cutover().deliverNow();
                    return restarted.get("/healthz").body().contains("\"outbox\":0");
                });
            }

            assertThat(slack.posts(CHANNEL)).hasSize(1);
            assertThat(slack.calls("chat.postMessage")).hasSize(1);
            assertThat(slack.calls("conversations.history")).isNotEmpty();
        }
    }

    private Process startChild(FakeSlackApi slack, int port) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.cutover.app.Main")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.put("SLACK_BOT_TOKEN", FakeSlackApi.BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", RunningCutover.SIGNING_SECRET);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PLANETSCALE_ORG", RunningCutover.ORG);
        env.put("PLANETSCALE_SERVICE_TOKEN_ID", "test-token-id");
        env.put("PLANETSCALE_SERVICE_TOKEN", "pscale_tkn_test_secret_value");
        env.put("PLANETSCALE_API_URL", NO_PLANETSCALE);
        env.put("PLANETSCALE_WEBHOOK_SECRET", RunningCutover.WEBHOOK_SECRET);
        env.put("PORT", Integer.toString(port));
        env.put("CUTOVER_DATA_DIR", dataDir.toString());
        env.put("CUTOVER_DEFAULT_CHANNEL", CHANNEL);
        return builder.start();
    }

    private static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(5, TimeUnit.SECONDS).build();

    private static void awaitHealthy(int port) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            try (Response response = HTTP.newCall(new Request.Builder()
                    .url("http://127.0.0.1:" + port + "/healthz").build()).execute()) {
                return response.code() == 200;
            }
        });
    }

    private static int postWebhook(int port, byte[] body) throws IOException {
        Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/webhooks/planetscale")
                .header("X-PlanetScale-Signature", Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, body))
                .post(RequestBody.create(body, MediaType.get("application/json"))).build();
        try (Response response = HTTP.newCall(request).execute()) {
            return response.code();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
