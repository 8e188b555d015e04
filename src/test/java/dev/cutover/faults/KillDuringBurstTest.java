package dev.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.store.SqliteStore;
import dev.cutover.store.Subscription;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.Signatures;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of a burst, as a node loss would do it: 1,000 webhooks (500 deploy requests, opened then
 * queued) for 50 channels into a child JVM, killed while it is still posting; a new process on the same data
 * directory gets the redeliveries PlanetScale would send. Then every deploy request has exactly one card and one
 * "queued" reply in its channel, in that order: nothing lost, nothing doubled.
 */
class KillDuringBurstTest {
    static final int CHANNELS = 50;
    static final int REQUESTS = 500;
    static final String NO_PLANETSCALE = "http://127.0.0.1:9/v1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS)
            .connectionPool(new ConnectionPool(16, 1, TimeUnit.MINUTES)).retryOnConnectionFailure(false).build();

    @TempDir
    Path dataDir;

    @Test
    @Timeout(240)
    void sigkillMidBurst_thenRedeliveries_everyEventInItsChannelExactlyOnce_inOrder() throws Exception {
        subscribeChannels();
        List<byte[]> events = new ArrayList<>();
        for (int n = 1; n <= REQUESTS; n++) {
            events.add(event("deploy_request.opened", n, "pending", "2026-11-21T12:00:00Z"));
            events.add(event("deploy_request.queued", n, "queued", "2026-11-21T12:01:00Z"));
        }
        try (FakeSlackApi slack = new FakeSlackApi().start()) {
            int port = freePort();
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            Process first = startChild(slack, port);
            try {
                awaitHealthy(port);
                sendAll(port, events, acknowledged, 8);
                // Kill while it is still posting: the pace (about one post a second per channel) keeps it busy.
                await().atMost(Duration.ofSeconds(60)).until(() -> slack.calls("chat.postMessage").size() >= 150);
            } finally {
                first.toHandle().destroyForcibly();
                first.waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(acknowledged).hasSize(events.size());
            HTTP.connectionPool().evictAll(); // kept-alive connections died with the process

            Process second = startChild(slack, port);
            try {
                awaitHealthy(port);
                sendAll(port, events, ConcurrentHashMap.newKeySet(), 8); // PlanetScale's redeliveries: duplicates
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> slack.calls("chat.postMessage").stream()
                                .filter(call -> !call.param("text").isEmpty()).count() >= 2L * REQUESTS
                                && outboxEmpty(port));
            } finally {
                second.toHandle().destroyForcibly();
                second.waitFor(10, TimeUnit.SECONDS);
            }

            for (int channel = 0; channel < CHANNELS; channel++) {
                List<FakeSlackApi.Call> posts = slack.posts(channelName(channel));
                for (int n = channel + 1; n <= REQUESTS; n += CHANNELS) {
                    String ref = "db" + channel + "#" + n;
                    List<FakeSlackApi.Call> cards = posts.stream()
                            .filter(post -> post.param("text").startsWith(ref + " ")).toList();
                    assertThat(cards).as("cards of %s", ref).hasSize(1);
                    List<FakeSlackApi.Call> replies = slack.replies(channelName(channel), slack.tsOf(cards.get(0)));
                    assertThat(replies).as("replies of %s", ref).singleElement()
                            .satisfies(reply -> assertThat(reply.param("text")).contains("queued"));
                }
            }
            assertThat(slack.calls("chat.postMessage")).hasSize(2 * REQUESTS);
        }
    }

    private void subscribeChannels() {
        try (SqliteStore store = SqliteStore.open(dataDir, new FakeClock())) {
            for (int channel = 0; channel < CHANNELS; channel++) {
                store.subscriptions().subscribe(new Subscription(channelName(channel), "db" + channel,
                        Set.of(Subscription.DEPLOYS), "U0ADMIN", Instant.parse("2026-11-21T11:00:00Z")));
            }
        }
    }

    private static String channelName(int channel) {
        return "C0BURST" + channel;
    }

    /** Deploy request {@code n}, in database db(n-1 mod CHANNELS), as PlanetScale would send it. */
    private static byte[] event(String name, int n, String deploymentState, String updatedAt) throws IOException {
        ObjectNode body;
        try (InputStream in = KillDuringBurstTest.class.getResourceAsStream(
                "/planetscale/webhook-deploy-request-queued.json")) {
            body = (ObjectNode) JSON.readTree(in);
        }
        String database = "db" + ((n - 1) % CHANNELS);
        body.put("event", name).put("organization", RunningCutover.ORG).put("database", database);
        ObjectNode resource = (ObjectNode) body.get("resource");
        resource.put("id", "dr" + n).put("number", n).put("deployment_state", deploymentState)
                .put("updated_at", updatedAt)
                .put("html_url", "https://app.planetscale.com/" + RunningCutover.ORG + "/" + database
                        + "/deploy-requests/" + n);
        return JSON.writeValueAsBytes(body);
    }

    /** Sends every event, in order per deploy request, from {@code senders} threads; records the 2xx ones. */
    private static void sendAll(int port, List<byte[]> events, Set<Integer> acknowledged, int senders)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        for (int sender = 0; sender < senders; sender++) {
            int first = sender;
            pool.execute(() -> {
                // Each sender owns whole deploy requests (both of their events), so order per request holds.
                for (int i = first * 2; i < events.size(); i += senders * 2) {
                    for (int j = i; j < i + 2; j++) {
                        try {
                            if (post(port, events.get(j)) / 100 == 2) {
                                acknowledged.add(j);
                            }
                        } catch (IOException e) {
                            // Not acknowledged: PlanetScale would send it again.
                        }
                    }
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
    }

    private static int post(int port, byte[] body) throws IOException {
        Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/webhooks/planetscale")
                .header("X-PlanetScale-Signature", Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, body))
                .post(RequestBody.create(body, MediaType.get("application/json"))).build();
        try (Response response = HTTP.newCall(request).execute()) {
            return response.code();
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
        return builder.start();
    }

    private static boolean outboxEmpty(int port) throws IOException {
        try (Response response = HTTP.newCall(new Request.Builder()
                .url("http://127.0.0.1:" + port + "/healthz").build()).execute()) {
            return response.body().string().contains("\"outbox\":0");
        }
    }

    private static void awaitHealthy(int port) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            try (Response response = HTTP.newCall(new Request.Builder()
                    .url("http://127.0.0.1:" + port + "/healthz").build()).execute()) {
                return response.code() == 200;
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
