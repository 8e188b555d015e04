package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract on SQLite, plus what only SQLite's single writer and file locks do. */
class SqliteEventJournalTest extends EventJournalContract {
    @TempDir
    Path dataDir;

    @Override
    EngineUnderTest engine() {
        return EngineUnderTest.sqlite(dataDir);
    }

    @Test
    void failingWrite_throwsStoreException_andOtherWritesStillCommit() throws Exception {
        engine.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON event"
                + " WHEN NEW.dedupe_key = 'poison' BEGIN SELECT RAISE(ABORT, 'disk says no'); END");

        assertThatThrownBy(() -> journal.append(Events.queued("poison")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("append event");
        AppendResult healthy = journal.append(Events.queued("healthy"));

        assertThat(healthy).isEqualTo(AppendResult.APPENDED);
        assertThat(engine.queryStrings("SELECT dedupe_key FROM event")).containsExactly("healthy");
    }

    @Test
    @Timeout(30)
    void writeWhileAnotherProcessHoldsTheLock_throwsStoreExceptionInsteadOfDroppingIt() throws Exception {
        store.close();
        store = SqliteStore.open(dataDir, clock,
                new SqliteStore.Durability(SqliteStore.Durability.DEFAULT.synchronous(), Duration.ofMillis(100)));
        journal = store.events();

        try (Connection other = RawDatabase.connect(dataDir); Statement statement = other.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");

            assertThatThrownBy(() -> journal.append(Events.queued("blocked")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("append event");

            statement.execute("ROLLBACK");
        }
        assertThat(journal.pendingCount()).isZero();
        assertThat(journal.append(Events.queued("blocked"))).isEqualTo(AppendResult.APPENDED);
    }

}
