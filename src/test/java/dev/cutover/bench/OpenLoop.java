package dev.cutover.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends requests at a fixed rate whatever the server does, and measures each one from the moment it was
 * <em>meant</em> to be sent (so a stalled server shows up as latency instead of as fewer requests: no
 * coordinated omission). A request that cannot start because every worker is busy waits in the queue, and that
 * wait is counted too.
 */
final class OpenLoop {
    /** One request: sends number {@code index}, returns the HTTP status (or a negative number on failure). */
    @FunctionalInterface
    interface Send {
        int send(int index) throws Exception;
    }

    /**
     * @param intendedMicros per request, the epoch microseconds it was meant to go at
     * @param latencyMicros per request, from intended send to answer
     */
    record Result(int count, long[] intendedMicros, long[] latencyMicros, int[] statuses, double seconds,
            int failures) {
        long percentile(double p) {
            return Stats.percentile(latencyMicros, p);
        }
    }

    private OpenLoop() {}

    static Result run(double ratePerSecond, Duration duration, int workers, Send send) throws InterruptedException {
        int count = (int) Math.round(ratePerSecond * duration.toMillis() / 1000.0);
        long intervalNanos = Math.round(1e9 / ratePerSecond);
        long[] intended = new long[count];
        long[] latency = new long[count];
        int[] statuses = new int[count];
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "load");
            thread.setDaemon(true);
            return thread;
        });
        long startNanos = System.nanoTime();
        long startMicros = Clocks.nowMicros();
        for (int i = 0; i < count; i++) {
            long due = startNanos + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            intended[i] = startMicros + (i * intervalNanos) / 1_000;
            pool.execute(() -> {
                int status;
                try {
                    status = send.send(index);
                } catch (Exception e) {
                    status = -1;
                }
                latency[index] = (System.nanoTime() - due) / 1_000;
                statuses[index] = status;
                if (status < 200 || status > 299) {
                    failures.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Result(count, intended, latency, statuses, seconds, failures.get());
    }

    /** Percentiles over microsecond samples. */
    static final class Stats {
        private Stats() {}

        static long percentile(long[] samples, double p) {
            if (samples.length == 0) {
                return 0;
            }
            long[] sorted = samples.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
        }

        static String millis(long micros) {
            return String.format(java.util.Locale.ROOT, "%.1f ms", micros / 1000.0);
        }
    }
}
