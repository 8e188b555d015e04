package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Card threads in the {@code card_thread} table, keyed by deploy request and channel. */
final class JdbcThreadIndex implements ThreadIndex {
    private final SqlWriter writer;
    private final SqlReader reader;

    JdbcThreadIndex(SqlWriter writer, SqlReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public Optional<CardThread> find(String org, String database, int number, String channelId) {
        return reader.read("find card thread", session -> {
            PreparedStatement select = session.prepare("SELECT ts, rendered_updated_at, last_event FROM card_thread"
                    + " WHERE organization = ? AND database_name = ? AND number = ? AND channel_id = ?");
            select.setString(1, org);
            select.setString(2, database);
            select.setInt(3, number);
            select.setString(4, channelId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new CardThread(org, database, number, channelId, row.getString("ts"),
                        Columns.instant(row, "rendered_updated_at"), row.getString("last_event")));
            }
        });
    }

    @Override
    public List<CardThread> all(String org, String database, int number) {
        return reader.read("list card threads", session -> {
            PreparedStatement select = session.prepare("SELECT channel_id, ts, rendered_updated_at, last_event"
                    + " FROM card_thread WHERE organization = ? AND database_name = ? AND number = ?"
                    + " ORDER BY channel_id");
            select.setString(1, org);
            select.setString(2, database);
            select.setInt(3, number);
            List<CardThread> found = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    found.add(new CardThread(org, database, number, row.getString("channel_id"), row.getString("ts"),
                            Columns.instant(row, "rendered_updated_at"), row.getString("last_event")));
                }
            }
            return found;
        });
    }

    @Override
    public void save(CardThread thread) {
        Objects.requireNonNull(thread, "thread");
        writer.write("save card thread", session -> {
            PreparedStatement upsert = session.prepare("INSERT INTO card_thread (organization, database_name, number,"
                    + " channel_id, ts, rendered_updated_at, last_event) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (organization, database_name, number, channel_id) DO UPDATE SET ts = excluded.ts,"
                    + " rendered_updated_at = excluded.rendered_updated_at, last_event = excluded.last_event");
            upsert.setString(1, thread.org());
            upsert.setString(2, thread.database());
            upsert.setInt(3, thread.number());
            upsert.setString(4, thread.channelId());
            upsert.setString(5, thread.ts());
            Columns.setInstant(upsert, 6, thread.renderedUpdatedAt());
            upsert.setString(7, thread.lastEvent());
            return upsert.executeUpdate();
        });
    }

    @Override
    public void delete(String org, String database, int number, String channelId) {
        writer.write("delete card thread", session -> {
            PreparedStatement delete = session.prepare("DELETE FROM card_thread"
                    + " WHERE organization = ? AND database_name = ? AND number = ? AND channel_id = ?");
            delete.setString(1, org);
            delete.setString(2, database);
            delete.setInt(3, number);
            delete.setString(4, channelId);
            return delete.executeUpdate();
        });
    }

    @Override
    public void saveReply(String org, String database, int number, ThreadReply reply) {
        writer.write("save thread reply", session -> {
            PreparedStatement upsert = session.prepare("INSERT INTO card_reply (channel_id, ts, organization,"
                    + " database_name, number, text, live) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (channel_id, ts) DO UPDATE SET text = excluded.text, live = excluded.live");
            upsert.setString(1, reply.channelId());
            upsert.setString(2, reply.ts());
            upsert.setString(3, org);
            upsert.setString(4, database);
            upsert.setInt(5, number);
            upsert.setString(6, reply.text());
            upsert.setInt(7, reply.live() ? 1 : 0);
            return upsert.executeUpdate();
        });
    }

    @Override
    public List<ThreadReply> liveReplies(String org, String database, int number, String channelId) {
        return reader.read("live replies", session -> {
            PreparedStatement select = session.prepare("SELECT ts, text FROM card_reply WHERE organization = ?"
                    + " AND database_name = ? AND number = ? AND channel_id = ? AND live = 1 ORDER BY rowid");
            select.setString(1, org);
            select.setString(2, database);
            select.setInt(3, number);
            select.setString(4, channelId);
            List<ThreadReply> replies = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    replies.add(new ThreadReply(channelId, row.getString("ts"), row.getString("text"), true));
                }
            }
            return replies;
        });
    }

    @Override
    public Optional<ThreadReply> reply(String channelId, String ts) {
        return reader.read("thread reply", session -> {
            PreparedStatement select = session.prepare("SELECT text, live FROM card_reply WHERE channel_id = ?"
                    + " AND ts = ?");
            select.setString(1, channelId);
            select.setString(2, ts);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new ThreadReply(channelId, ts, row.getString("text"),
                        row.getInt("live") == 1)) : Optional.empty();
            }
        });
    }

    @Override
    public void retire(ThreadReply reply) {
        writer.write("retire thread reply", session -> {
            PreparedStatement update = session.prepare("UPDATE card_reply SET live = 0 WHERE channel_id = ? AND ts = ?");
            update.setString(1, reply.channelId());
            update.setString(2, reply.ts());
            return update.executeUpdate();
        });
    }
}
