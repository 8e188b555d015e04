package dev.cutover.store;

import java.time.Instant;
import java.util.Optional;

/** Requests for a second person, kept across restarts. Thread-safe. */
public interface SecondPersonRequests {
    void save(SecondPersonRequest request);

    Optional<SecondPersonRequest> find(String id);

    /**
     * Records that {@code confirmedBy} confirmed a pending request; false when it was no longer pending (someone
     * else confirmed it first, or it expired), so exactly one confirmation ever wins.
     */
    boolean confirm(String id, String confirmedBy, Instant at);

    /** Marks a pending request expired; false when it was no longer pending. */
    boolean expire(String id, Instant at);
}
