package dev.cutover.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store can write, as the last commit found out. A full disk or a lock held elsewhere makes every write
 * fail; this turns that into one log line per minute (with the cause, the path and how many failures it stands for)
 * and a reason for {@code /healthz} to answer 503, instead of a line per attempt. The first commit that succeeds
 * clears it. Thread-safe.
 */
public final class StoreHealth {
    static final Duration LOG_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

    private final String location;
    private final Clock clock;
    private Instant failingSince;
    private String cause;
    private Instant lastLogged;
    private int unlogged;

    public StoreHealth(String location, Clock clock) {
        this.location = location;
        this.clock = clock;
    }

    synchronized void failed(String reason, Throwable error) {
        Instant now = clock.instant();
        if (failingSince == null) {
            failingSince = now;
        }
        cause = reason + ": " + rootMessage(error);
        unlogged++;
        if (lastLogged == null || !now.isBefore(lastLogged.plus(LOG_EVERY))) {
            log.warn("Cannot write to the store {} ({}; {} failed writes since the last message). Webhooks get 503 so"
                    + " PlanetScale retries them, and delivery waits; nothing acknowledged is lost.", location, cause,
                    unlogged);
            lastLogged = now;
            unlogged = 0;
        }
    }

    synchronized void recovered() {
        if (failingSince != null) {
            log.info("The store {} can write again (it could not since {}); delivery resumes", location, failingSince);
            failingSince = null;
            cause = null;
            lastLogged = null;
            unlogged = 0;
        }
    }

    /** Why the store cannot write, while it cannot. */
    public synchronized Optional<String> problem() {
        return failingSince == null ? Optional.empty()
                : Optional.of("the store " + location + " cannot write since " + failingSince + ": " + cause);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
