package dev.cutover.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Reads and writes on PostgreSQL: each one borrows a connection from the pool for its duration; a write is one
 * transaction. PostgreSQL groups concurrent commits into one WAL flush itself, so there is no writer thread here.
 * Thread-safe.
 */
final class PooledConnections implements SqlWriter, SqlReader {
    private final HikariDataSource pool;
    private final StoreHealth health;

    PooledConnections(HikariDataSource pool, StoreHealth health) {
        this.pool = pool;
        this.health = health;
    }

    @Override
    public <T> T write(String what, SqlWork<T> work) {
        checkOpen(what);
        try (Connection connection = pool.getConnection(); SqlSession session = new SqlSession(connection)) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(session);
                connection.commit();
                health.recovered();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            // Callers answer 5xx and PlanetScale or the loop retries; only an unreachable or refusing database (not
            // one statement's mistake) makes the whole store unhealthy.
            if (isUnavailable(e)) {
                health.failed(what + " failed", e);
            }
            throw new StoreException(what + " failed", e);
        }
    }

    @Override
    public <T> T read(String what, SqlWork<T> work) {
        checkOpen(what);
        try (Connection connection = pool.getConnection(); SqlSession session = new SqlSession(connection)) {
            return work.run(session);
        } catch (SQLException e) {
            throw new StoreException(what + " failed", e);
        }
    }

    /** Runs {@code work} on one connection kept for its whole duration (session-level advisory locks). */
    <T> T onOneConnection(String what, SqlWork<T> work) {
        return read(what, work);
    }

    /** Connection trouble (08), out of resources (53), shut down by an operator (57), or no pooled connection. */
    static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return e instanceof SQLTransientConnectionException || state.startsWith("08") || state.startsWith("53")
                || state.startsWith("57");
    }

    private void checkOpen(String what) {
        if (pool.isClosed()) {
            throw new StoreException("cannot " + what + ": the store is closed");
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is broken; the pool drops it.
        }
    }
}
