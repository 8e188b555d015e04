package dev.cutover.store;

import dev.cutover.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig.SynchronousMode;

/**
 * How big the store gets after 100,000 events, with and without the retention purge; not a test, and not run by
 * the build. Each event has a 4 KiB body, as PlanetScale's deploy-request webhooks do, is appended and marked done
 * through the journal, and arrives 12 s (fake time) after the previous one, so 100,000 events span about two
 * weeks; with purging, a pass runs every simulated hour with the default 7-day retention.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.cutover.store.RetentionSizeCheck [events=100000]
 * </pre>
 */
public final class RetentionSizeCheck {
    private RetentionSizeCheck() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        for (boolean purge : new boolean[] {false, true}) {
            Path dir = Files.createTempDirectory("cutover-retention");
            try {
                run(dir, events, purge);
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    private static void run(Path dir, int events, boolean purge) throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-01T00:00:00Z"));
        Duration retention = Duration.ofDays(7);
        String body = "{\"event\":\"deploy_request.queued\",\"resource\":\"" + "x".repeat(4_000) + "\"}";
        long started = System.nanoTime();
        long biggest = 0;
        // NORMAL only to finish sooner; the file's size does not depend on how often it is synced.
        try (SqliteStore store = SqliteStore.open(dir, clock,
                new SqliteStore.Durability(SynchronousMode.NORMAL, Duration.ofSeconds(1)))) {
            Instant nextPurge = clock.instant().plus(Duration.ofHours(1));
            for (int i = 0; i < events; i++) {
                store.events().append(new IncomingEvent("key-" + i, "deploy_request.queued", "acme", "shop",
                        i % 500, clock.instant(), clock.instant(), body));
                store.events().markDone(store.events().due(clock.instant(), 1).get(0).id());
                clock.advance(Duration.ofSeconds(12));
                if (purge && !clock.instant().isBefore(nextPurge)) {
                    store.purgeFinishedBefore(clock.instant().minus(retention));
                    nextPurge = clock.instant().plus(Duration.ofHours(1));
                }
                if (i % 10_000 == 9_999) {
                    biggest = Math.max(biggest, sizeOf(dir));
                }
            }
            long rows = store.events().pendingCount();
            System.out.printf("%s: %,d events in %.0f s; %,d pending; largest on disk while running %,d bytes%n",
                    purge ? "with purge (7d retention)" : "without purge", events,
                    (System.nanoTime() - started) / 1e9, rows, biggest);
        }
        System.out.printf("  after close: %s = %,d bytes%n", SqliteStore.FILE_NAME, sizeOf(dir));
    }

    private static long sizeOf(Path dir) throws Exception {
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                total += Files.size(file);
            }
        }
        return total;
    }
}
