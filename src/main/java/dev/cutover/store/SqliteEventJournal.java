package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The outbox in the {@code event} table; appends go through the group commit. */
final class SqliteEventJournal implements EventJournal {
    /** Deletes in slices so a large purge never holds the writer, and the appends queued behind it, for long. */
    static final int PURGE_SLICE = 2_000;

    private static final String COLUMNS = "id, attempts, last_error, dedupe_key, event, organization, database_name,"
            + " deploy_request_number, resource_updated_at, received_at, body";

    private final GroupCommitWriter writer;
    private final ReadConnection reader;
    private final Clock clock;

    SqliteEventJournal(GroupCommitWriter writer, ReadConnection reader, Clock clock) {
        this.writer = writer;
        this.reader = reader;
        this.clock = clock;
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
            try (ResultSet row = session.prepare("SELECT min(next_attempt_at) AS next FROM event"
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
                    + " body = NULL, last_error = NULL, finished_at = ? WHERE id = ? AND status = 'pending'");
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
                    + " body = NULL, last_error = NULL, finished_at = ? WHERE id = ? AND status = 'pending'");
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
                    + " next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'");
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
            PreparedStatement update = session.prepare("UPDATE event SET next_attempt_at = ?"
                    + " WHERE id = ? AND status = 'pending'");
            Columns.setInstant(update, 1, nextAttemptAt);
            update.setLong(2, id);
            return update.executeUpdate();
        });
    }

    @Override
    public void markFailed(long id, String lastError) {
        Instant now = clock.instant();
        writer.write("mark event failed", session -> {
            PreparedStatement update = session.prepare("UPDATE event SET status = 'failed', attempts = attempts + 1,"
                    + " last_error = ?, finished_at = ? WHERE id = ? AND status = 'pending'");
            update.setString(1, Columns.error(lastError));
            Columns.setInstant(update, 2, now);
            update.setLong(3, id);
            return update.executeUpdate();
        });
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
