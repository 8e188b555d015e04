package dev.cutover.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig.SynchronousMode;

/**
 * A rough measurement of append throughput and latency, one run per {@code synchronous} mode; not a test, and not
 * run by the build. Threads stand in for Jetty's request threads, each appending back to back.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.cutover.store.JournalThroughputCheck \
 *     [threads=32] [events=40000] [events per second, 0 = unpaced]
 * </pre>
 */
public final class JournalThroughputCheck {
    private JournalThroughputCheck() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        // A warm-up round first, so the JIT has compiled the hot path before anything is reported.
        run(SynchronousMode.FULL, threads, events / 4, 0, false);
        for (SynchronousMode mode : new SynchronousMode[] {SynchronousMode.NORMAL, SynchronousMode.FULL}) {
            run(mode, threads, events, rate, true);
        }
    }

    /**
     * @param rate events per second to offer, or 0 for as fast as the threads go; when paced, latency counts from
     *     when the event was due to arrive, so a stalled commit shows up in full
     */
    private static void run(SynchronousMode mode, int threads, int events, int rate, boolean report)
            throws Exception {
        Path dataDir = Files.createTempDirectory("cutover-throughput");
        SqliteStore.Durability durability =
                new SqliteStore.Durability(mode, SqliteStore.Durability.DEFAULT.busyTimeout());
        long[] latencies = new long[events];
        AtomicLong next = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        String body = "{\"event\":\"deploy_request.queued\",\"resource\":{" + "\"x\":\"y\",".repeat(60) + "\"z\":1}}";
        try (SqliteStore store = SqliteStore.open(dataDir, Clock.systemUTC(), durability)) {
            EventJournal journal = store.events();
            Thread[] workers = new Thread[threads];
            long[] begin = new long[1];
            for (int t = 0; t < threads; t++) {
                workers[t] = new Thread(() -> {
                    awaitQuietly(start);
                    for (long i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                        IncomingEvent event = new IncomingEvent("key-" + i, "deploy_request.queued", "acme", "shop",
                                (int) (i % 500) + 1, Instant.now(), Instant.now(), body);
                        long arrival = System.nanoTime();
                        if (rate > 0) {
                            arrival = begin[0] + i * 1_000_000_000L / rate;
                            LockSupport.parkNanos(arrival - System.nanoTime());
                        }
                        journal.append(event);
                        latencies[(int) i] = System.nanoTime() - arrival;
                    }
                });
                workers[t].start();
            }
            begin[0] = System.nanoTime();
            start.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            double seconds = (System.nanoTime() - begin[0]) / 1e9;
            if (report) {
                Arrays.sort(latencies);
                System.out.printf(Locale.ROOT, "synchronous=%-6s threads=%d events=%d offered=%s: %.0f events/s,"
                                + " append p50=%.2f ms p99=%.2f ms max=%.2f ms%n",
                        mode, threads, events, rate > 0 ? rate + "/s" : "max", events / seconds, millis(latencies, 0.50), millis(latencies, 0.99),
                        latencies[events - 1] / 1e6);
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted[(int) Math.ceil(quantile * sorted.length) - 1] / 1e6;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
