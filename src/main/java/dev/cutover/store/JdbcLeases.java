package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Leases in the {@code lease} table. One statement takes, renews or refuses: an upsert that only overwrites a row
 * held by the same holder or already expired. Times come from the replicas' clocks (like every due time in the
 * store), so replicas' clocks must agree to well under a lease period (NTP does).
 */
final class JdbcLeases implements Leases {
    private final SqlWriter writer;
    private final Clock clock;

    JdbcLeases(SqlWriter writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public boolean hold(String name, String holder, Duration period) {
        Instant now = clock.instant();
        return writer.write("hold lease", session -> {
            PreparedStatement upsert = session.prepare("INSERT INTO lease (name, holder, expires_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at"
                    + " WHERE lease.holder = excluded.holder OR lease.expires_at <= ? RETURNING holder");
            upsert.setString(1, name);
            upsert.setString(2, holder);
            Columns.setInstant(upsert, 3, now.plus(period));
            Columns.setInstant(upsert, 4, now);
            try (ResultSet row = upsert.executeQuery()) {
                return row.next();
            }
        });
    }

    @Override
    public void release(String name, String holder) {
        writer.write("release lease", session -> {
            PreparedStatement delete = session.prepare("DELETE FROM lease WHERE name = ? AND holder = ?");
            delete.setString(1, name);
            delete.setString(2, holder);
            return delete.executeUpdate();
        });
    }
}
