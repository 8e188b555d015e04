package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** The post ledger in the {@code slack_post} table. */
final class JdbcPostLedger implements PostLedger {
    private final SqlWriter writer;
    private final SqlReader reader;

    JdbcPostLedger(SqlWriter writer, SqlReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public Optional<LedgerEntry> find(String postKey) {
        return reader.read("find post", session -> {
            PreparedStatement select = session.prepare("SELECT channel_id, thread_ts, intended_at, ts FROM slack_post"
                    + " WHERE post_key = ?");
            select.setString(1, postKey);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LedgerEntry(postKey, row.getString("channel_id"), row.getString("thread_ts"),
                        Columns.instant(row, "intended_at"), row.getString("ts")));
            }
        });
    }

    @Override
    public void intend(String postKey, String channelId, String threadTs, Instant at) {
        writer.write("record post intent", session -> {
            PreparedStatement insert = session.prepare("INSERT INTO slack_post (post_key, channel_id, thread_ts,"
                    + " intended_at) VALUES (?, ?, ?, ?) ON CONFLICT (post_key) DO NOTHING");
            insert.setString(1, postKey);
            insert.setString(2, channelId);
            insert.setString(3, threadTs);
            Columns.setInstant(insert, 4, at);
            return insert.executeUpdate();
        });
    }

    @Override
    public void posted(String postKey, String ts) {
        writer.write("record post", session -> {
            PreparedStatement update = session.prepare("UPDATE slack_post SET ts = ? WHERE post_key = ?");
            update.setString(1, ts);
            update.setString(2, postKey);
            return update.executeUpdate();
        });
    }
}
