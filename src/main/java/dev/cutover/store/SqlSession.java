package dev.cutover.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * A JDBC connection that keeps its prepared statements, since the same few statements run thousands of times a
 * second. Not thread-safe: one thread uses it at a time.
 */
final class SqlSession implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    SqlSession(Connection connection) {
        this.connection = connection;
    }

    /** A prepared statement for {@code sql}, reused across calls; parameters left from a previous use are cleared. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        } else {
            statement.clearParameters();
        }
        return statement;
    }

    /** Runs a statement without parameters, such as {@code BEGIN IMMEDIATE}. */
    void execute(String sql) throws SQLException {
        prepare(sql).execute();
    }

    /**
     * Runs {@code sql} through {@code sqlite3_exec}, stepping it to the end. For pragmas such as
     * {@code incremental_vacuum}, which free one page per step: JDBC's {@code execute()} steps once.
     */
    void runToCompletion(String sql) throws SQLException {
        int code = connection.unwrap(SQLiteConnection.class).getDatabase()._exec(sql);
        if (code != 0) {
            throw new SQLException("'" + sql + "' failed with SQLite result code " + code);
        }
    }

    /**
     * Drops every kept statement. Call after any failure: the driver quietly closes a statement whose
     * {@code execute()} failed (say, a RELEASE after SQLite rolled back on its own), and reusing it would break
     * every later transaction.
     */
    void forgetStatements() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                // Already unusable; it is being dropped either way.
            }
        }
        statements.clear();
    }

    @Override
    public void close() throws SQLException {
        try {
            for (PreparedStatement statement : statements.values()) {
                statement.close();
            }
        } finally {
            statements.clear();
            connection.close();
        }
    }
}
