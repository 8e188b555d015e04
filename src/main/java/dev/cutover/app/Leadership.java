package dev.cutover.app;

import dev.cutover.store.Leases;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica runs the fleet-wide jobs (revert reminders, reconciliation with its webhook checks, event
 * retention): the holder of the {@code jobs} lease. It tries to take or renew the lease every third of a period, so
 * a leader that dies or loses the database is replaced within one lease period, and a leader that cannot renew
 * stops leading before its lease can run out. On SQLite the one process always leads. Thread-safe.
 */
final class Leadership implements AutoCloseable {
    static final String LEASE = "jobs";
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    private final Leases leases;
    private final String replica;
    private final Duration period;
    private volatile boolean leader;
    private ScheduledExecutorService renewer;

    Leadership(Leases leases, String replica, Duration period) {
        this.leases = leases;
        this.replica = replica;
        this.period = period;
    }

    /** Tries once now, then keeps renewing on its own thread. */
    void start() {
        renew();
        renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "leadership");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(100, period.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** One attempt to take or keep the lease; public to tests through {@link Cutover}. */
    void renew() {
        boolean now;
        try {
            now = leases.hold(LEASE, replica, period);
        } catch (RuntimeException e) {
            // Cannot reach the database: someone else may take over once our lease runs out, so stop now.
            now = false;
        }
        if (now != leader) {
            log.info(now ? "This replica ({}) now runs the periodic jobs" : "This replica ({}) no longer runs the"
                    + " periodic jobs", replica);
        }
        leader = now;
    }

    boolean isLeader() {
        return leader;
    }

    String replica() {
        return replica;
    }

    /** Stops renewing and gives the lease up at once, so another replica leads from its next try. */
    @Override
    public void close() {
        if (renewer != null) {
            renewer.shutdownNow();
        }
        if (leader) {
            leader = false;
            try {
                leases.release(LEASE, replica);
            } catch (RuntimeException e) {
                log.warn("Could not give up the jobs lease; another replica takes it when it runs out: {}",
                        e.toString());
            }
        }
    }
}
