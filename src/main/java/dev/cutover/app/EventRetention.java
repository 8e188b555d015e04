package dev.cutover.app;

import dev.cutover.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges finished events (and with them their dedupe keys) once they are older than {@code CUTOVER_EVENT_RETENTION},
 * so the store stays the size of its recent traffic. Runs on its own thread, every half retention period (at most
 * hourly, at least every 10 s); the cut-off comes from the injected clock, so tests drive it with {@link #purgeNow()}.
 */
final class EventRetention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

    private final Store store;
    private final Clock clock;
    private final Duration retention;
    private final BooleanSupplier leader;
    private ScheduledExecutorService schedule;

    /** @param leader whether this replica runs the fleet-wide jobs now; only the leader purges on its schedule */
    EventRetention(Store store, Clock clock, Duration retention, BooleanSupplier leader) {
        this.leader = leader;
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    void start() {
        Duration period = period(retention);
        schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-retention");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(this::purgeQuietly, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    static Duration period(Duration retention) {
        Duration half = retention.dividedBy(2);
        if (half.compareTo(Duration.ofHours(1)) > 0) {
            return Duration.ofHours(1);
        }
        return half.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : half;
    }

    /** Purges everything finished before now minus the retention; returns how many events went. */
    int purgeNow() {
        int purged = store.purgeFinishedBefore(clock.instant().minus(retention));
        if (purged > 0) {
            log.info("Purged {} finished events older than {}", purged, retention);
        }
        return purged;
    }

    private void purgeQuietly() {
        if (!leader.getAsBoolean()) {
            return;
        }
        try {
            purgeNow();
        } catch (RuntimeException e) {
            // A full or locked disk: the next run tries again; nothing is lost by purging later.
            log.warn("Could not purge finished events: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }
}
