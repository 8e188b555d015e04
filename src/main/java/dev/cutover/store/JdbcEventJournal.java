package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbox in the {@code event} table. On SQLite one process reads it and appends go through the group commit.
 * Shared by several replicas (PostgreSQL), {@link #due} <em>claims</em> what it returns: the rows are locked with
 * {@code FOR UPDATE SKIP LOCKED}, so two replicas polling at once never take the same row, and stamped with a lease
 * ({@code claimed_by}, {@code claimed_until}) that hides them from the others until they are finished or the lease
 * runs out, so work of a replica killed mid-delivery is taken up by another after one lease.
 */
final class JdbcEventJournal implements EventJournal {
    /** Deletes in slices so a large purge never holds the writer, and the appends queued behind it, for long. */
    static final int PURGE_SLICE = 2_000;

    private static final String COLUMNS = "id, attempts, last_error, dedupe_key, event, organization, database_name,"
            + " deploy_request_number, resource_updated_at, received_at, body";

    private final SqlWriter writer;
    private final SqlReader reader;
    private final Clock clock;
    /** Empty when this process is the only one (SQLite): nothing to claim against. */
    private final Optional<Claims> claims;

    /**
     * How replicas sharing the journal keep out of each other's way.
     *
     * @param replica who claims (stored in {@code claimed_by}, for people reading the table and for releasing)
     * @param lease how long a claim hides an event from the others; longer than any one delivery takes
     */
    record Claims(String replica, Duration lease) {}

    JdbcEventJournal(SqlWriter writer, SqlReader reader, Clock clock) {
        this(writer, reader, clock, Optional.empty());
    }

    JdbcEventJournal(SqlWriter writer, SqlReader reader, Clock clock, Optional<Claims> claims) {
        this.writer = writer;
        this.reader = reader;
        this.clock = clock;
        this.claims = claims;
    }

    @Override
    public AppendResult append(IncomingEvent event) {
        Objects.requireNonNull(event, "event");
        return writer.write("append event", session -> {
            PreparedStatement insert = session.prepare("INSERT INTO event (dedupe_key, event, organization,"
                    + " database_name, deploy_request_number, resource_updated_at, received_at, body, next_attempt_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING");
            insert.setString(1, event.dedupeKey());
            insert.setString(2, event.event());
            insert.setString(3, event.organization());
            insert.setString(4, event.database());
            Columns.setInteger(insert, 5, event.deployRequestNumber());
            Columns.setInstant(insert, 6, event.resourceUpdatedAt());
            Columns.setInstant(insert, 7, event.receivedAt());
            insert.setString(8, event.body());
            Columns.setInstant(insert, 9, event.receivedAt());
            return insert.executeUpdate() == 1 ? AppendResult.APPENDED : AppendResult.DUPLICATE;
        });
    }

    @Override
    public List<StoredEvent> due(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        if (claims.isPresent()) {
            return claim(now, limit, claims.get());
        }
        return reader.read("find due events", session -> {
            // status is a literal, not a parameter, so SQLite can use the partial index on pending rows.
            // Only the oldest pending event of each deploy request: a later one never overtakes an earlier one
            // that is waiting for a retry, so a card is never updated out of order (also across restarts).
            PreparedStatement select = session.prepare("SELECT " + COLUMNS + " FROM event"
                    + " WHERE status = 'pending' AND next_attempt_at <= ?"
                    + " AND (deploy_request_number IS NULL OR NOT EXISTS (SELECT 1 FROM event earlier"
                    + " WHERE earlier.status = 'pending' AND earlier.organization = event.organization"
                    + " AND earlier.database_name = event.database_name"
                    + " AND earlier.deploy_request_number = event.deploy_request_number AND earlier.id < event.id))"
                    + " ORDER BY id LIMIT ?");
            Columns.setInstant(select, 1, now);
            select.setInt(2, limit);
            List<StoredEvent> due = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    due.add(storedEvent(row));
                }
            }
            return due;
        });
    }

    /**
     * {@link #due} among replicas: the same "oldest pending event of its deploy request" rule, minus events another
     * replica holds a live claim on, and minus any event whose deploy request has an event another replica claimed
     * (ids come from a sequence and two intakes can commit out of id order, so "the oldest" alone could let a second
     * event of one deploy request go while the first is in flight). Our own claims still pending are taken again:
     * the outbox's passes never overlap, so such an event is one an earlier pass left unfinished (a store error).
     */
    private List<StoredEvent> claim(Instant now, int limit, Claims claims) {
        Instant until = now.plus(claims.lease());
        return writer.write("claim due events", session -> {
            PreparedStatement update = session.prepare("UPDATE event SET claimed_by = ?, claimed_until = ?"
                    + " WHERE id IN (SELECT id FROM event"
                    + " WHERE status = 'pending' AND next_attempt_at <= ?"
                    + " AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?)"
                    + " AND (deploy_request_number IS NULL OR NOT EXISTS (SELECT 1 FROM event other"
                    + " WHERE other.status = 'pending' AND other.organization = event.organization"
                    + " AND other.database_name = event.database_name"
                    + " AND other.deploy_request_number = event.deploy_request_number AND other.id <> event.id"
                    + " AND (other.id < event.id OR (other.claimed_until > ? AND other.claimed_by <> ?))))"
                    + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
                    + " RETURNING " + COLUMNS);
            update.setString(1, claims.replica());
            Columns.setInstant(update, 2, until);
            Columns.setInstant(update, 3, now);
            Columns.setInstant(update, 4, now);
            update.setString(5, claims.replica());
            Columns.setInstant(update, 6, now);
            update.setString(7, claims.replica());
            update.setInt(8, limit);
            List<StoredEvent> claimed = new ArrayList<>();
            try (ResultSet row = update.executeQuery()) {
                while (row.next()) {
                    claimed.add(storedEvent(row));
                }
            }
            claimed.sort(Comparator.comparingLong(StoredEvent::id));
            return claimed;
        });
    }

    @Override
    public void releaseClaims() {
        claims.ifPresent(claims -> writer.write("release claims", session -> {
            PreparedStatement update = session.prepare("UPDATE event SET claimed_by = NULL, claimed_until = NULL"
                    + " WHERE claimed_by = ? AND status = 'pending'");
            update.setString(1, claims.replica());
            return update.executeUpdate();
        }));
    }

    @Override
    public List<StoredEvent> laterPending(StoredEvent head, int limit) {
        IncomingEvent incoming = head.incoming();
        if (incoming.deployRequestNumber() == null || limit <= 0) {
            return List.of();
        }
        return reader.read("find later events of a deploy request", session -> {
            PreparedStatement select = session.prepare("SELECT " + COLUMNS + " FROM event"
                    + " WHERE status = 'pending' AND organization = ? AND database_name = ?"
                    + " AND deploy_request_number = ? AND id > ? ORDER BY id LIMIT ?");
            select.setString(1, incoming.organization());
            select.setString(2, incoming.database());
            select.setInt(3, incoming.deployRequestNumber());
            select.setLong(4, head.id());
            select.setInt(5, limit);
            List<StoredEvent> later = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    later.add(storedEvent(row));
                }
            }
            return later;
        });
    }

    @Override
    public Optional<Instant> nextAttemptAt() {
        return reader.read("find the next due event", session -> {
            // The same "oldest of its deploy request" rule as due(): a later event due now but waiting behind a
            // postponed one must not wake the worker.
            // Events claimed by another replica count from when their claim runs out (NULL claims: never here).
            try (ResultSet row = session.prepare("SELECT min(" + (claims.isPresent()
                    ? "CASE WHEN claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END"
                    : "next_attempt_at") + ") AS next FROM event"
                    + " WHERE status = 'pending'"
                    + " AND (deploy_request_number IS NULL OR NOT EXISTS (SELECT 1 FROM event earlier"
                    + " WHERE earlier.status = 'pending' AND earlier.organization = event.organization"
                    + " AND earlier.database_name = event.database_name"
                    + " AND earlier.deploy_request_number = event.deploy_request_number AND earlier.id < event.id))")
                    .executeQuery()) {
                row.next();
                return Optional.ofNullable(Columns.instant(row, "next"));
            }
        });
    }

    private static StoredEvent storedEvent(ResultSet row) throws SQLException {
        IncomingEvent incoming = new IncomingEvent(
                row.getString("dedupe_key"),
                row.getString("event"),
                row.getString("organization"),
                row.getString("database_name"),
                Columns.integer(row, "deploy_request_number"),
                Columns.instant(row, "resource_updated_at"),
                Columns.instant(row, "received_at"),
                row.getString("body"));
        return new StoredEvent(row.getLong("id"), row.getInt("attempts"), row.getString("last_error"), incoming);
    }

    @Override
    public void markDone(long id) {
        Instant now = clock.instant();
        writer.write("mark event done", session -> {
            PreparedStatement update = session.prepare("UPDATE event SET status = 'done', attempts = attempts + 1,"
                    + " body = NULL, last_error = NULL, finished_at = ?" + unclaim() + " WHERE id = ? AND status = 'pending'");
            Columns.setInstant(update, 1, now);
            update.setLong(2, id);
            return update.executeUpdate();
        });
    }

    @Override
    public void markDone(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        writer.write("mark events done", session -> {
            PreparedStatement update = session.prepare("UPDATE event SET status = 'done', attempts = attempts + 1,"
                    + " body = NULL, last_error = NULL, finished_at = ?" + unclaim() + " WHERE id = ? AND status = 'pending'");
            int changed = 0;
            for (long id : ids) {
                Columns.setInstant(update, 1, now);
                update.setLong(2, id);
                changed += update.executeUpdate();
            }
            return changed;
        });
    }

    @Override
    public void retryLater(long id, Instant nextAttemptAt, String lastError) {
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        writer.write("reschedule event", session -> {
            PreparedStatement update = session.prepare("UPDATE event SET attempts = attempts + 1,"
                    + " next_attempt_at = ?, last_error = ?" + unclaim() + " WHERE id = ? AND status = 'pending'");
            Columns.setInstant(update, 1, nextAttemptAt);
            update.setString(2, Columns.error(lastError));
            update.setLong(3, id);
            return update.executeUpdate();
        });
    }

    @Override
    public void postpone(long id, Instant nextAttemptAt) {
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        writer.write("postpone event", session -> {
            // Shared: never move an event another replica is delivering right now (a newer event arriving here
            // brings a paced one forward; the replica holding it goes on with it).
            PreparedStatement update = session.prepare("UPDATE event SET next_attempt_at = ?"
                    + unclaim() + " WHERE id = ? AND status = 'pending'"
                    + (claims.isPresent() ? " AND (claimed_by IS NULL OR claimed_by = ?)" : ""));
            Columns.setInstant(update, 1, nextAttemptAt);
            update.setLong(2, id);
            if (claims.isPresent()) {
                update.setString(3, claims.get().replica());
            }
            return update.executeUpdate();
        });
    }

    @Override
    public void markFailed(long id, String lastError) {
        Instant now = clock.instant();
        writer.write("mark event failed", session -> {
            PreparedStatement update = session.prepare("UPDATE event SET status = 'failed', attempts = attempts + 1,"
                    + " last_error = ?, finished_at = ?" + unclaim() + " WHERE id = ? AND status = 'pending'");
            update.setString(1, Columns.error(lastError));
            Columns.setInstant(update, 2, now);
            update.setLong(3, id);
            return update.executeUpdate();
        });
    }

    /** Finishing or rescheduling an event ends its claim: the next due time alone decides who takes it. */
    private String unclaim() {
        return claims.isPresent() ? ", claimed_by = NULL, claimed_until = NULL" : "";
    }

    @Override
    public long pendingCount() {
        return reader.read("count pending events", session -> {
            try (ResultSet row = session.prepare("SELECT count(*) FROM event WHERE status = 'pending'")
                    .executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    @Override
    public Optional<Instant> oldestPendingReceivedAt() {
        return reader.read("find oldest pending event", session -> {
            try (ResultSet row = session.prepare("SELECT min(received_at) AS oldest FROM event"
                    + " WHERE status = 'pending'").executeQuery()) {
                row.next();
                return Optional.ofNullable(Columns.instant(row, "oldest"));
            }
        });
    }

    @Override
    public int purgeFinishedBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        int total = 0;
        int deleted;
        do {
            deleted = writer.write("purge finished events", session -> {
                PreparedStatement delete = session.prepare("DELETE FROM event WHERE id IN (SELECT id FROM event"
                        + " WHERE status IN ('done', 'failed') AND finished_at < ? LIMIT ?)");
                Columns.setInstant(delete, 1, cutoff);
                delete.setInt(2, PURGE_SLICE);
                return delete.executeUpdate();
            });
            total += deleted;
        } while (deleted == PURGE_SLICE);
        return total;
    }
}
