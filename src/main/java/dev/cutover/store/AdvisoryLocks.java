package dev.cutover.store;

import java.sql.PreparedStatement;
import java.util.function.Supplier;

/**
 * {@link DeployRequestLocks} as PostgreSQL session advisory locks: taken and released on one pooled connection kept
 * for the work's duration. A replica that dies loses its connection, and the database releases the lock with it.
 */
final class AdvisoryLocks implements DeployRequestLocks {
    private final PooledConnections sql;

    AdvisoryLocks(PooledConnections sql) {
        this.sql = sql;
    }

    @Override
    public <T> T holding(String key, Supplier<T> work) {
        return sql.onOneConnection("lock a deploy request", session -> {
            PreparedStatement lock = session.prepare("SELECT pg_advisory_lock(hashtextextended(?, 0))");
            lock.setString(1, key);
            lock.execute();
            try {
                return work.get();
            } finally {
                PreparedStatement unlock = session.prepare("SELECT pg_advisory_unlock(hashtextextended(?, 0))");
                unlock.setString(1, key);
                unlock.execute();
            }
        });
    }
}
