package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The last posting failure per channel, in the {@code channel_problem} table. */
final class JdbcChannelHealth implements ChannelHealth {
    private final SqlWriter writer;
    private final SqlReader reader;

    JdbcChannelHealth(SqlWriter writer, SqlReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public void recordFailure(String channelId, String error, Instant at) {
        ChannelProblem problem = new ChannelProblem(channelId, error, at);
        writer.write("record channel problem", session -> {
            PreparedStatement upsert = session.prepare("INSERT INTO channel_problem (channel_id, error, at)"
                    + " VALUES (?, ?, ?) ON CONFLICT (channel_id) DO UPDATE SET error = excluded.error, at = excluded.at");
            upsert.setString(1, problem.channelId());
            upsert.setString(2, Columns.error(problem.error()));
            Columns.setInstant(upsert, 3, problem.at());
            return upsert.executeUpdate();
        });
    }

    @Override
    public void clear(String channelId) {
        Objects.requireNonNull(channelId, "channelId");
        writer.write("clear channel problem", session -> {
            PreparedStatement delete = session.prepare("DELETE FROM channel_problem WHERE channel_id = ?");
            delete.setString(1, channelId);
            return delete.executeUpdate();
        });
    }

    @Override
    public Optional<ChannelProblem> problem(String channelId) {
        return reader.read("find channel problem", session -> {
            PreparedStatement select = session.prepare("SELECT error, at FROM channel_problem WHERE channel_id = ?");
            select.setString(1, channelId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ChannelProblem(channelId, row.getString("error"), Columns.instant(row, "at")));
            }
        });
    }
}
