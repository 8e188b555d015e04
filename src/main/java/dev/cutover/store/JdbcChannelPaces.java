package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * {@link ChannelPaces} in the {@code channel_pace} and {@code pace_booking} tables. A decision is one transaction
 * that first locks the channel's row ({@code SELECT … FOR UPDATE}, created on first use), so decisions about one
 * channel run one after another across all replicas, and different channels never wait for each other.
 */
final class JdbcChannelPaces implements ChannelPaces {
    private final PooledConnections sql;

    JdbcChannelPaces(PooledConnections sql) {
        this.sql = sql;
    }

    @Override
    public <T> T decide(String channel, String postKey, Decision<T> decision) {
        return sql.write("pace a channel", session -> {
            PreparedStatement create = session.prepare("INSERT INTO channel_pace (channel_id, arrival_nanos)"
                    + " VALUES (?, ?) ON CONFLICT (channel_id) DO NOTHING");
            create.setString(1, channel);
            create.setLong(2, Long.MIN_VALUE);
            create.executeUpdate();
            PreparedStatement lock = session.prepare("SELECT arrival_nanos FROM channel_pace WHERE channel_id = ?"
                    + " FOR UPDATE");
            lock.setString(1, channel);
            Optional<Long> arrival;
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                long stored = row.getLong(1);
                arrival = stored == Long.MIN_VALUE ? Optional.empty() : Optional.of(stored);
            }
            Optional<Long> booked = Optional.empty();
            if (postKey != null) {
                PreparedStatement select = session.prepare("SELECT slot_nanos FROM pace_booking WHERE post_key = ?"
                        + " AND channel_id = ?");
                select.setString(1, postKey);
                select.setString(2, channel);
                try (ResultSet row = select.executeQuery()) {
                    booked = row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
                }
            }
            Change<T> change = decision.decide(new State(arrival, booked));
            if (change.arrivalNanos().isPresent()) {
                PreparedStatement update = session.prepare("UPDATE channel_pace SET arrival_nanos = ?"
                        + " WHERE channel_id = ?");
                update.setLong(1, change.arrivalNanos().get());
                update.setString(2, channel);
                update.executeUpdate();
            }
            if (change.dropChannelBookings()) {
                PreparedStatement drop = session.prepare("DELETE FROM pace_booking WHERE channel_id = ?");
                drop.setString(1, channel);
                drop.executeUpdate();
            }
            if (postKey != null) {
                if (change.booking().isPresent()) {
                    PreparedStatement book = session.prepare("INSERT INTO pace_booking (post_key, channel_id,"
                            + " slot_nanos) VALUES (?, ?, ?) ON CONFLICT (post_key) DO UPDATE SET"
                            + " channel_id = excluded.channel_id, slot_nanos = excluded.slot_nanos");
                    book.setString(1, postKey);
                    book.setString(2, channel);
                    book.setLong(3, change.booking().get());
                    book.executeUpdate();
                } else if (booked.isPresent()) {
                    PreparedStatement unbook = session.prepare("DELETE FROM pace_booking WHERE post_key = ?");
                    unbook.setString(1, postKey);
                    unbook.executeUpdate();
                }
            }
            return change.answer();
        });
    }

    @Override
    public Optional<Long> arrivalNanos(String channel) {
        return sql.read("read a channel's pace", session -> {
            PreparedStatement select = session.prepare("SELECT arrival_nanos FROM channel_pace WHERE channel_id = ?");
            select.setString(1, channel);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next() || row.getLong(1) == Long.MIN_VALUE) {
                    return Optional.empty();
                }
                return Optional.of(row.getLong(1));
            }
        });
    }

    @Override
    public boolean isBooked(String postKey) {
        return sql.read("find a booked slot", session -> {
            PreparedStatement select = session.prepare("SELECT 1 FROM pace_booking WHERE post_key = ?");
            select.setString(1, postKey);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        });
    }
}
