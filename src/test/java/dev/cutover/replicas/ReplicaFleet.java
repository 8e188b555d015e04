package dev.cutover.replicas;

import static org.awaitility.Awaitility.await;

import dev.cutover.testing.ChildCutover;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Cutover replicas as child JVMs on one PostgreSQL database (a fresh one on the tests' embedded server), each on its
 * own port, with a short lease so that failover shows within a test's patience.
 */
final class ReplicaFleet implements AutoCloseable {
    static final int LEASE_SECONDS = 1;
    private static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS)
            .retryOnConnectionFailure(false).build();

    final String databaseUrl = TestPostgres.freshDatabase();
    private final FakeSlackApi slack;
    private final Map<String, String> env;
    private final Map<Integer, Process> running = new HashMap<>();

    ReplicaFleet(FakeSlackApi slack, Map<String, String> env) {
        this.slack = slack;
        this.env = env;
    }

    /** Starts a replica on {@code port} and waits until it is healthy. */
    Process start(int port) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.put("CUTOVER_DATABASE_URL", databaseUrl);
        all.put("CUTOVER_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
        // Each replica its own host name, as two pods have: the replica id is host name and pid.
        all.put("HOSTNAME", "replica-" + port);
        Path dataDir = Files.createTempDirectory("cutover-replica");
        Process process = ChildCutover.start(slack, port, dataDir, all);
        running.put(port, process);
        try {
            // Longer than ChildCutover's minute: a replica starting beside a busy one on a loaded CI machine.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> health(port).contains("\"status\":\"ok\""));
        } catch (RuntimeException e) {
            // Where it hangs, for whoever reads the failure: its threads, next to the surefire reports.
            new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "replica-" + port
                            + "-threads.txt").toFile())).start();
            throw e;
        }
        return process;
    }

    void kill(int port) throws InterruptedException {
        ChildCutover.kill(running.remove(port));
    }

    /** SIGTERM: a graceful stop (the JVM's shutdown hook closes Cutover). */
    void stop(int port) throws InterruptedException {
        Process process = running.remove(port);
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The body of {@code GET /healthz}. */
    static String health(int port) throws IOException {
        try (Response response = HTTP.newCall(new Request.Builder().url(URI.create("http://127.0.0.1:" + port
                + "/healthz").toURL()).build()).execute()) {
            return response.body().string();
        }
    }

    static boolean isLeader(int port) {
        try {
            return health(port).contains("\"leader\":true");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (Process process : running.values()) {
            process.toHandle().destroyForcibly();
        }
        running.clear();
    }
}
