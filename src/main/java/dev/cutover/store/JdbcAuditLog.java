package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link AuditLog} in the {@code audit_record} table (plain SQL, no SQLite-only syntax). */
final class JdbcAuditLog implements AuditLog {
    private static final String COLUMNS = "at, slack_team_id, slack_user_id, identity, planetscale_actor, organization,"
            + " database_name, number, action, policy_rule, confirmation, second_person, outcome, planetscale_answer";

    private final SqlWriter writer;
    private final SqlReader reader;

    JdbcAuditLog(SqlWriter writer, SqlReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public AuditEntry append(AuditEntry entry) {
        long id = writer.write("append audit record", session -> {
            PreparedStatement insert = session.prepare("INSERT INTO audit_record (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
            Columns.setInstant(insert, 1, entry.at());
            insert.setString(2, entry.teamId());
            insert.setString(3, entry.slackUserId());
            insert.setString(4, entry.identity());
            insert.setString(5, entry.planetScaleActor());
            insert.setString(6, entry.organization());
            insert.setString(7, entry.database());
            insert.setInt(8, entry.number());
            insert.setString(9, entry.action());
            insert.setString(10, entry.policyRule());
            insert.setString(11, entry.confirmation());
            insert.setString(12, entry.secondPerson());
            insert.setString(13, entry.outcome());
            insert.setString(14, Columns.error(entry.planetScaleAnswer()));
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
        return entry.withId(id);
    }

    @Override
    public List<AuditEntry> recent(String database, Optional<Integer> number, long beforeId, int limit) {
        return reader.read("read audit record", session -> {
            PreparedStatement select = session.prepare("SELECT id, " + COLUMNS + " FROM audit_record"
                    + " WHERE database_name = ? AND id < ?" + (number.isPresent() ? " AND number = ?" : "")
                    + " ORDER BY id DESC LIMIT ?");
            int index = 1;
            select.setString(index++, database);
            select.setLong(index++, beforeId);
            if (number.isPresent()) {
                select.setInt(index++, number.get());
            }
            select.setInt(index, limit);
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    entries.add(new AuditEntry(row.getLong("id"), Columns.instant(row, "at"),
                            row.getString("slack_team_id"), row.getString("slack_user_id"), row.getString("identity"),
                            row.getString("planetscale_actor"), row.getString("organization"),
                            row.getString("database_name"), row.getInt("number"), row.getString("action"),
                            row.getString("policy_rule"), row.getString("confirmation"),
                            row.getString("second_person"), row.getString("outcome"),
                            row.getString("planetscale_answer")));
                }
            }
            return entries;
        });
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        return writer.write("purge audit record", session -> {
            PreparedStatement delete = session.prepare("DELETE FROM audit_record WHERE at < ?");
            Columns.setInstant(delete, 1, cutoff);
            return delete.executeUpdate();
        });
    }
}
