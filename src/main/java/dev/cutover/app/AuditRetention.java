package dev.cutover.app;

import dev.cutover.audit.AuditTrail;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes audit entries older than {@code CUTOVER_AUDIT_RETENTION}, hourly (and once shortly after start-up), on its
 * own schedule: independent of {@code CUTOVER_EVENT_RETENTION}, which governs the outbox.
 */
final class AuditRetention implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditTrail audit;
    private ScheduledExecutorService schedule;

    AuditRetention(AuditTrail audit) {
        this.audit = audit;
    }

    void start() {
        schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "audit-retention");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(this::purgeQuietly, 1, 60, TimeUnit.MINUTES);
    }

    private void purgeQuietly() {
        try {
            int purged = audit.purge();
            if (purged > 0) {
                log.info("Purged {} audit entries older than {}", purged, audit.retention());
            }
        } catch (RuntimeException e) {
            log.warn("Could not purge old audit entries: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }
}
