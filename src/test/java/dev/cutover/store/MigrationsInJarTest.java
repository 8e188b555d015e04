package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The jar is shaded for production: Flyway must find our migrations inside a jar, not only in a directory. */
class MigrationsInJarTest {
    @TempDir
    Path dir;

    @Test
    void migrationsPackedInAJar_areFoundAndApplied() throws Exception {
        Path jar = dir.resolve("cutover.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                InputStream migration = getClass().getResourceAsStream("/db/migration/V1__init.sql")) {
            out.putNextEntry(new JarEntry("db/"));
            out.putNextEntry(new JarEntry("db/migration/"));
            out.putNextEntry(new JarEntry("db/migration/V1__init.sql"));
            migration.transferTo(out);
            out.closeEntry();
        }
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));

        // No parent: the migrations can only come from the jar, never from target/classes.
        try (URLClassLoader jarOnly = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            SqliteStore.migrate(dataSource, jarOnly);
        }

        assertThat(RawDatabase.queryStrings(dir, "SELECT script FROM flyway_schema_history"))
                .containsExactly("V1__init.sql");
        assertThat(RawDatabase.queryLong(dir, "SELECT count(*) FROM sqlite_master WHERE name = 'event'"))
                .isEqualTo(1);
    }

    @Test
    void noMigrationsOnTheClassPath_failsInsteadOfStartingWithAnEmptySchema() throws Exception {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));

        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> SqliteStore.migrate(dataSource, empty)).isInstanceOf(StoreException.class);
        }
    }
}
