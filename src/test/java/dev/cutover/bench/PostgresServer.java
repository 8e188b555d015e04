package dev.cutover.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A PostgreSQL for {@code bench/run.sh}'s replica scenario, from the same embedded binaries the tests use (no Docker,
 * no installed server), with its durability settings left at PostgreSQL's defaults (fsync and synchronous commit
 * on), so it is compared with SQLite's {@code synchronous=FULL} on equal terms. Writes {@code PG_URL=<jdbc url>} to
 * the file named by its argument, then runs until it is killed.
 */
public final class PostgresServer {
    private PostgresServer() {}

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
        try (Connection admin = server.getPostgresDatabase().getConnection();
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE cutover_bench");
        }
        Path file = Path.of(args[0]);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, "PG_URL='" + server.getJdbcUrl("postgres", "cutover_bench") + "'\n");
        Files.move(partial, file);
        Thread.currentThread().join(); // until the script kills it; zonky's shutdown hook stops the server
    }
}
