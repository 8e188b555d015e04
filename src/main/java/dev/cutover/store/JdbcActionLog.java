package dev.cutover.store;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The action log in the {@code card_action} table; actions are stored by their action id. */
final class JdbcActionLog implements ActionLog {
    private final SqlWriter writer;
    private final SqlReader reader;

    JdbcActionLog(SqlWriter writer, SqlReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public ActionEntry record(DeployRef ref, DeployAction action, String slackUserId, Instant at) {
        long id = writer.write("record action", session -> {
            PreparedStatement insert = session.prepare("INSERT INTO card_action (organization, database_name, number,"
                    + " action, slack_user, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
            insert.setString(1, ref.org());
            insert.setString(2, ref.database());
            insert.setInt(3, ref.number());
            insert.setString(4, action.actionId());
            insert.setString(5, slackUserId);
            Columns.setInstant(insert, 6, at);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
        return new ActionEntry(id, ref, action, slackUserId, at);
    }

    @Override
    public void forget(ActionEntry entry) {
        writer.write("forget action", session -> {
            PreparedStatement delete = session.prepare("DELETE FROM card_action WHERE id = ?");
            delete.setLong(1, entry.id());
            return delete.executeUpdate();
        });
    }

    @Override
    public List<ActionEntry> recent(DeployRef ref, int limit) {
        return reader.read("recent actions", session -> {
            PreparedStatement select = session.prepare("SELECT id, action, slack_user, at FROM card_action"
                    + " WHERE organization = ? AND database_name = ? AND number = ? ORDER BY id DESC LIMIT ?");
            select.setString(1, ref.org());
            select.setString(2, ref.database());
            select.setInt(3, ref.number());
            select.setInt(4, limit);
            List<ActionEntry> entries = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    // An action a newer version removed is skipped, not a crash.
                    Optional<DeployAction> action = DeployAction.fromActionId(row.getString("action"));
                    if (action.isPresent()) {
                        entries.add(new ActionEntry(row.getLong("id"), ref, action.get(), row.getString("slack_user"),
                                Columns.instant(row, "at")));
                    }
                }
            }
            Collections.reverse(entries);
            return entries;
        });
    }
}
