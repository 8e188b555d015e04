package dev.cutover.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The durable, append-only audit record of attempted writes; only retention removes entries, oldest first. */
public interface AuditLog {
    /** Appends the entry; returns it with its id. */
    AuditEntry append(AuditEntry entry);

    /**
     * Entries of a database (and deploy request, when given), newest first.
     *
     * @param beforeId only entries older than this id (paging); {@link Long#MAX_VALUE} for the newest
     */
    List<AuditEntry> recent(String database, Optional<Integer> number, long beforeId, int limit);

    /** Deletes entries recorded before {@code cutoff}; returns how many went. */
    int purgeBefore(Instant cutoff);
}
