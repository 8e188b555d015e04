package dev.cutover.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Looks at (or tampers with) a store's file over plain JDBC, the way an operator with sqlite3 would. */
final class RawDatabase {
    private RawDatabase() {}

    static Connection connect(Path dataDir) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME).toAbsolutePath());
    }

    /** The first column of the first row, as a long. */
    static long queryLong(Path dataDir, String sql) throws SQLException {
        try (Connection connection = connect(dataDir);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The first column of every row, as strings (null stays null). */
    static List<String> queryStrings(Path dataDir, String sql) throws SQLException {
        try (Connection connection = connect(dataDir);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (row.next()) {
                values.add(row.getString(1));
            }
            return values;
        }
    }

    static void execute(Path dataDir, String sql) throws SQLException {
        try (Connection connection = connect(dataDir); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
