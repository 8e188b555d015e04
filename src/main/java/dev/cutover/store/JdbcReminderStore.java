package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reminders in the {@code reminder} table; sent ones stay with their {@code sent_at}. */
final class JdbcReminderStore implements ReminderStore {
    private final SqlWriter writer;
    private final SqlReader reader;
    private final Clock clock;

    JdbcReminderStore(SqlWriter writer, SqlReader reader, Clock clock) {
        this.writer = writer;
        this.reader = reader;
        this.clock = clock;
    }

    @Override
    public Reminder schedule(String org, String database, int number, String channelId, String threadTs,
            Instant fireAt, String mention) {
        // Validates before anything is written.
        new Reminder(0, org, database, number, channelId, threadTs, fireAt, mention);
        long id = writer.write("schedule reminder", session -> {
            // Both statements run in one savepoint of the writer's transaction: the replacement is atomic.
            PreparedStatement delete = session.prepare("DELETE FROM reminder WHERE organization = ?"
                    + " AND database_name = ? AND number = ? AND channel_id = ? AND sent_at IS NULL");
            delete.setString(1, org);
            delete.setString(2, database);
            delete.setInt(3, number);
            delete.setString(4, channelId);
            delete.executeUpdate();
            PreparedStatement insert = session.prepare("INSERT INTO reminder (organization, database_name, number,"
                    + " channel_id, thread_ts, fire_at, mention) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
            insert.setString(1, org);
            insert.setString(2, database);
            insert.setInt(3, number);
            insert.setString(4, channelId);
            insert.setString(5, threadTs);
            Columns.setInstant(insert, 6, fireAt);
            insert.setString(7, mention);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
        return new Reminder(id, org, database, number, channelId, threadTs, fireAt, mention);
    }

    @Override
    public void cancel(String org, String database, int number) {
        writer.write("cancel reminders", session -> {
            PreparedStatement delete = session.prepare("DELETE FROM reminder WHERE organization = ?"
                    + " AND database_name = ? AND number = ? AND sent_at IS NULL");
            delete.setString(1, org);
            delete.setString(2, database);
            delete.setInt(3, number);
            return delete.executeUpdate();
        });
    }

    @Override
    public List<Reminder> due(Instant now) {
        Objects.requireNonNull(now, "now");
        return reader.read("find due reminders", session -> {
            PreparedStatement select = session.prepare("SELECT id, organization, database_name, number, channel_id,"
                    + " thread_ts, fire_at, mention FROM reminder WHERE sent_at IS NULL AND fire_at <= ?"
                    + " ORDER BY fire_at, id");
            Columns.setInstant(select, 1, now);
            List<Reminder> due = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    due.add(new Reminder(row.getLong("id"), row.getString("organization"),
                            row.getString("database_name"), row.getInt("number"), row.getString("channel_id"),
                            row.getString("thread_ts"), Columns.instant(row, "fire_at"), row.getString("mention")));
                }
            }
            return due;
        });
    }

    @Override
    public void markSent(long id) {
        Instant now = clock.instant();
        writer.write("mark reminder sent", session -> {
            PreparedStatement update = session.prepare(
                    "UPDATE reminder SET sent_at = ? WHERE id = ? AND sent_at IS NULL");
            Columns.setInstant(update, 1, now);
            update.setLong(2, id);
            return update.executeUpdate();
        });
    }
}
