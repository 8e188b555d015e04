package dev.cutover.app;

import dev.cutover.config.DatabaseUrl;
import dev.cutover.store.DataDirectoryInUseException;
import dev.cutover.store.PostgresStore;
import dev.cutover.store.SqliteStore;
import dev.cutover.store.StoreCopy;
import dev.cutover.store.StoreException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar cutover.jar --migrate-store}: copies the SQLite store in {@code CUTOVER_DATA_DIR} into the
 * PostgreSQL store at {@code CUTOVER_DATABASE_URL} (migrating its schema first). Needs only those variables, not
 * Slack's or PlanetScale's. Refuses while a Cutover process still has the data directory open, so nothing written
 * after the copy can be left behind. Safe to run again: rows already copied are kept as they are.
 */
final class StoreMigration {
    private StoreMigration() {}

    static int run(Map<String, String> env, PrintStream out, PrintStream err) {
        Path dataDir = Path.of(Optional.ofNullable(blankToNull(env.get("CUTOVER_DATA_DIR"))).orElse("./data"));
        String url = blankToNull(env.get("CUTOVER_DATABASE_URL"));
        if (url == null) {
            err.println("--migrate-store copies into PostgreSQL: set CUTOVER_DATABASE_URL (and CUTOVER_DATA_DIR to the"
                    + " SQLite installation's directory)");
            return Main.EXIT_CONFIG;
        }
        if (!Files.isRegularFile(dataDir.resolve("cutover.db"))) {
            err.println("There is no SQLite store to copy in CUTOVER_DATA_DIR " + dataDir.toAbsolutePath()
                    + " (no cutover.db) — set CUTOVER_DATA_DIR to the installation's data directory");
            return Main.EXIT_CONFIG;
        }
        DatabaseUrl database;
        try {
            database = DatabaseUrl.parse(url, Optional.ofNullable(blankToNull(env.get("CUTOVER_DATABASE_USER"))),
                    Optional.ofNullable(blankToNull(env.get("CUTOVER_DATABASE_PASSWORD"))));
        } catch (IllegalArgumentException e) {
            err.println("CUTOVER_DATABASE_URL " + e.getMessage());
            return Main.EXIT_CONFIG;
        }
        Clock clock = Clock.systemUTC();
        try (SqliteStore from = SqliteStore.open(dataDir, clock);
                PostgresStore to = PostgresStore.open(new PostgresStore.Connection(database.jdbcUrl(),
                        database.user().orElse(null), database.password().orElse(null), Cutover.REPLICA + "/migrate",
                        Duration.ofMinutes(1)), clock)) {
            Map<String, Integer> copied = StoreCopy.copy(from, to);
            out.println("Copied " + dataDir.toAbsolutePath().resolve("cutover.db") + " into " + database.safeUrl()
                    + ":");
            copied.forEach((table, rows) -> out.println("  " + table + ": " + rows + " rows"));
            out.println("Start Cutover with CUTOVER_DATABASE_URL set; keep the SQLite file until it runs well.");
            return 0;
        } catch (DataDirectoryInUseException e) {
            err.println("CUTOVER_DATA_DIR " + dataDir.toAbsolutePath() + " is in use by a running Cutover (pid "
                    + e.owner() + ") — stop it first, so nothing it writes is left behind");
            return Main.EXIT_CONFIG;
        } catch (StoreException e) {
            err.println("Cannot copy the store: " + e.getMessage());
            return 1;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
