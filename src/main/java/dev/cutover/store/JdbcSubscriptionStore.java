package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Subscriptions in the {@code subscription} table, one row per channel and database. */
final class JdbcSubscriptionStore implements SubscriptionStore {
    private static final String SELECT = "SELECT channel_id, database_name, filters, created_by, created_at"
            + " FROM subscription";

    private final SqlWriter writer;
    private final SqlReader reader;

    JdbcSubscriptionStore(SqlWriter writer, SqlReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public void subscribe(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        writer.write("save subscription", session -> {
            PreparedStatement upsert = session.prepare("INSERT INTO subscription (channel_id, database_name, filters,"
                    + " created_by, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel_id, database_name)"
                    + " DO UPDATE SET filters = excluded.filters, created_by = excluded.created_by,"
                    + " created_at = excluded.created_at");
            upsert.setString(1, subscription.channelId());
            upsert.setString(2, subscription.database());
            upsert.setString(3, String.join(",", new TreeSet<>(subscription.filters())));
            upsert.setString(4, subscription.createdBy());
            Columns.setInstant(upsert, 5, subscription.createdAt());
            return upsert.executeUpdate();
        });
    }

    @Override
    public boolean unsubscribe(String channelId, String database) {
        return writer.write("delete subscription", session -> {
            PreparedStatement delete = session.prepare(
                    "DELETE FROM subscription WHERE channel_id = ? AND database_name = ?");
            delete.setString(1, channelId);
            delete.setString(2, database);
            return delete.executeUpdate() > 0;
        });
    }

    @Override
    public List<Subscription> forChannel(String channelId) {
        return reader.read("list a channel's subscriptions", session -> {
            PreparedStatement select = session.prepare(SELECT + " WHERE channel_id = ? ORDER BY database_name");
            select.setString(1, channelId);
            return subscriptions(select);
        });
    }

    @Override
    public List<Subscription> forDatabase(String database) {
        return reader.read("list a database's subscriptions", session -> {
            PreparedStatement select = session.prepare(SELECT + " WHERE database_name = ? ORDER BY channel_id");
            select.setString(1, database);
            return subscriptions(select);
        });
    }

    @Override
    public List<String> databases() {
        return reader.read("list followed databases", session -> {
            PreparedStatement select = session.prepare("SELECT DISTINCT database_name FROM subscription"
                    + " ORDER BY database_name");
            List<String> databases = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    databases.add(row.getString(1));
                }
            }
            return databases;
        });
    }

    private static List<Subscription> subscriptions(PreparedStatement select) throws SQLException {
        List<Subscription> subscriptions = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                subscriptions.add(new Subscription(
                        row.getString("channel_id"),
                        row.getString("database_name"),
                        Set.of(row.getString("filters").split(",")),
                        row.getString("created_by"),
                        Columns.instant(row, "created_at")));
            }
        }
        return subscriptions;
    }
}
