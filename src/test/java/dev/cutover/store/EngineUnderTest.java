package dev.cutover.store;

import dev.cutover.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One engine for a store contract test: where a store is opened (again, after a restart) and how a test looks at
 * its tables directly, the way an operator with sqlite3 or psql would. The PostgreSQL one is a fresh database on
 * the tests' one embedded server.
 */
abstract class EngineUnderTest {
    abstract Store open(Clock clock);

    abstract Connection connect() throws SQLException;

    static EngineUnderTest sqlite(Path dataDir) {
        return new EngineUnderTest() {
            @Override
            Store open(Clock clock) {
                return SqliteStore.open(dataDir, clock);
            }

            @Override
            Connection connect() throws SQLException {
                return RawDatabase.connect(dataDir);
            }
        };
    }

    static EngineUnderTest postgres() {
        return postgres(TestPostgres.freshDatabase());
    }

    /** @param jdbcUrl a database several stores (replicas) share */
    static EngineUnderTest postgres(String jdbcUrl) {
        return new EngineUnderTest() {
            private int replicas;

            @Override
            Store open(Clock clock) {
                return PostgresStore.open(new PostgresStore.Connection(jdbcUrl, null, null, "replica-" + ++replicas,
                        Duration.ofSeconds(30)), clock);
            }

            @Override
            Connection connect() throws SQLException {
                return DriverManager.getConnection(jdbcUrl);
            }
        };
    }

    /** The first column of the first row, as a long. */
    long queryLong(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The first column of every row, as strings (null stays null). */
    List<String> queryStrings(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (row.next()) {
                values.add(row.getString(1));
            }
            return values;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
