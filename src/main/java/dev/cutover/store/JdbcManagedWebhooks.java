package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ManagedWebhooks} in the {@code managed_webhook} table. */
final class JdbcManagedWebhooks implements ManagedWebhooks {
    private static final String SELECT = "SELECT database_name, webhook_id, secret, url, created_at FROM managed_webhook";

    private final SqlWriter writer;
    private final SqlReader reader;

    JdbcManagedWebhooks(SqlWriter writer, SqlReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public void save(ManagedWebhook webhook) {
        writer.write("save managed webhook", session -> {
            PreparedStatement upsert = session.prepare("INSERT INTO managed_webhook (database_name, webhook_id, secret,"
                    + " url, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (database_name) DO UPDATE SET"
                    + " webhook_id = excluded.webhook_id, secret = excluded.secret, url = excluded.url,"
                    + " created_at = excluded.created_at");
            upsert.setString(1, webhook.database());
            upsert.setString(2, webhook.webhookId());
            upsert.setString(3, webhook.secret());
            upsert.setString(4, webhook.url());
            Columns.setInstant(upsert, 5, webhook.createdAt());
            return upsert.executeUpdate();
        });
    }

    @Override
    public Optional<ManagedWebhook> forDatabase(String database) {
        return reader.read("find managed webhook", session -> {
            PreparedStatement select = session.prepare(SELECT + " WHERE database_name = ?");
            select.setString(1, database);
            List<ManagedWebhook> found = webhooks(select);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public List<ManagedWebhook> all() {
        return reader.read("list managed webhooks", session -> webhooks(session.prepare(SELECT
                + " ORDER BY database_name")));
    }

    private static List<ManagedWebhook> webhooks(PreparedStatement select) throws SQLException {
        List<ManagedWebhook> webhooks = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                webhooks.add(new ManagedWebhook(row.getString("database_name"), row.getString("webhook_id"),
                        row.getString("secret"), row.getString("url"), Columns.instant(row, "created_at")));
            }
        }
        return webhooks;
    }
}
