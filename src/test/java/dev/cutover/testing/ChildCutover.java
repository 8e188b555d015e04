package dev.cutover.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Cutover as a child JVM started exactly as {@code Main} is, for tests that SIGKILL it: against the fake Slack, with
 * PlanetScale unreachable (delivery tolerates that), on a port chosen by the test so a successor can take it over.
 */
public final class ChildCutover {
    /** Nothing listens here: PlanetScale reads fail at once. */
    public static final String NO_PLANETSCALE = "http://127.0.0.1:9/v1";
    private static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS)
            .connectionPool(new ConnectionPool(16, 1, TimeUnit.MINUTES)).retryOnConnectionFailure(false).build();

    private ChildCutover() {}

    /** Starts a child on {@code port} and {@code dataDir}; {@code env} adds to (or overrides) the defaults. */
    public static Process start(FakeSlackApi slack, int port, Path dataDir, Map<String, String> env)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.cutover.app.Main")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> all = builder.environment();
        all.put("SLACK_BOT_TOKEN", FakeSlackApi.BOT_TOKEN);
        all.put("SLACK_SIGNING_SECRET", RunningCutover.SIGNING_SECRET);
        all.put("SLACK_API_URL", slack.apiUrl());
        all.put("PLANETSCALE_ORG", RunningCutover.ORG);
        all.put("PLANETSCALE_SERVICE_TOKEN_ID", "test-token-id");
        all.put("PLANETSCALE_SERVICE_TOKEN", "pscale_tkn_test_secret_value");
        all.put("PLANETSCALE_API_URL", NO_PLANETSCALE);
        all.put("PLANETSCALE_WEBHOOK_SECRET", RunningCutover.WEBHOOK_SECRET);
        all.put("PORT", Integer.toString(port));
        all.put("CUTOVER_DATA_DIR", dataDir.toString());
        all.putAll(env);
        return builder.start();
    }

    /** SIGKILL, as a node loss does it; kept-alive connections to it are dropped so a successor is reached afresh. */
    public static void kill(Process child) throws InterruptedException {
        child.toHandle().destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
        HTTP.connectionPool().evictAll();
    }

    public static void awaitHealthy(int port) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            try (Response response = get(port, "/healthz")) {
                return response.code() == 200;
            }
        });
    }

    public static boolean outboxEmpty(int port) throws IOException {
        try (Response response = get(port, "/healthz")) {
            return response.body().string().contains("\"outbox\":0");
        }
    }

    /**
     * Sends a burst of webhooks, two per deploy request (events {@code 2k} and {@code 2k+1} are deploy request
     * {@code k+1}'s), from {@code senders} threads that each own whole deploy requests, so order per request holds.
     * Each deploy request's events go to the port {@code portOf} names (one process, or its replica); the indexes
     * answered 2xx are added to {@code acknowledged}. A process that is down simply does not acknowledge.
     */
    public static void sendInPairs(List<byte[]> events, IntUnaryOperator portOf, Set<Integer> acknowledged,
            int senders) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        for (int sender = 0; sender < senders; sender++) {
            int first = sender;
            pool.execute(() -> {
                for (int i = first * 2; i < events.size(); i += senders * 2) {
                    int port = portOf.applyAsInt(i / 2 + 1);
                    for (int j = i; j < i + 2; j++) {
                        try {
                            if (postWebhook(port, events.get(j)) / 100 == 2) {
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
        if (!pool.awaitTermination(120, TimeUnit.SECONDS)) {
            throw new AssertionError("the burst was not sent within 120 s");
        }
    }

    /** Posts a webhook signed as PlanetScale signs it; returns the status. */
    public static int postWebhook(int port, byte[] body) throws IOException {
        Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/webhooks/planetscale")
                .header("X-PlanetScale-Signature", Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, body))
                .post(RequestBody.create(body, MediaType.get("application/json"))).build();
        try (Response response = HTTP.newCall(request).execute()) {
            return response.code();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Response get(int port, String path) throws IOException {
        return HTTP.newCall(new Request.Builder().url("http://127.0.0.1:" + port + path).build()).execute();
    }
}
