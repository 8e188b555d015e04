package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Purging finished events returns their pages to the file system: the store's file stops growing. */
class StoreRetentionTest {
    static final int EVENTS_PER_ROUND = 3_000;

    @TempDir
    Path dataDir;
    final FakeClock clock = new FakeClock();

    @Test
    void newFile_usesIncrementalAutoVacuum() throws Exception {
        SqliteStore.open(dataDir, clock).close();

        assertThat(RawDatabase.queryLong(dataDir, "PRAGMA auto_vacuum")).isEqualTo(2);
    }

    @Test
    void fileFromBeforeTheSetting_isConvertedOnOpen_keepingItsData() throws Exception {
        try (SqliteStore store = SqliteStore.open(dataDir, clock)) {
            store.events().append(Events.queued("kept"));
        }
        try (Connection connection = RawDatabase.connect(dataDir); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA auto_vacuum = NONE");
            statement.execute("VACUUM");
        }
        assertThat(RawDatabase.queryLong(dataDir, "PRAGMA auto_vacuum")).isZero();

        try (SqliteStore store = SqliteStore.open(dataDir, clock)) {
            assertThat(store.events().pendingCount()).isEqualTo(1);
        }
        assertThat(RawDatabase.queryLong(dataDir, "PRAGMA auto_vacuum")).isEqualTo(2);
    }

    @Test
    void purge_forgetsFinishedEventsAndTheirDedupeKeys_butNotRecentOrPendingOnes() throws Exception {
        try (SqliteStore store = SqliteStore.open(dataDir, clock)) {
            store.events().append(Events.queued("old"));
            store.events().append(Events.queued("pending"));
            store.events().markDone(store.events().due(clock.instant(), 10).get(0).id());
            clock.advance(Duration.ofDays(8));

            assertThat(store.purgeFinishedBefore(clock.instant().minus(Duration.ofDays(7)))).isEqualTo(1);

            assertThat(store.events().append(Events.queued("old"))).isEqualTo(AppendResult.APPENDED);
            assertThat(store.events().append(Events.queued("pending"))).isEqualTo(AppendResult.DUPLICATE);
        }
    }

    @Test
    void roundsOfTrafficWithPurges_keepTheFileTheSizeOfOneRound() throws Exception {
        SqliteStore.open(dataDir, clock).close();
        List<Long> sizes = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            fillWithFinishedEvents(round);
            try (SqliteStore store = SqliteStore.open(dataDir, clock)) {
                sizes.add(Files.size(dataDir.resolve(SqliteStore.FILE_NAME)));
                clock.advance(Duration.ofDays(8));
                assertThat(store.purgeFinishedBefore(clock.instant().minus(Duration.ofDays(7))))
                        .isEqualTo(EVENTS_PER_ROUND);
            }
        }
        long afterPurge = Files.size(dataDir.resolve(SqliteStore.FILE_NAME));

        // Without incremental vacuum the file would keep its high-water mark; with it, freed pages go back.
        assertThat(afterPurge).isLessThan(sizes.get(0) / 4);
        assertThat(sizes.get(4)).isLessThanOrEqualTo(sizes.get(0) + sizes.get(0) / 10);
    }

    /** A round of traffic as the journal leaves it: 4 KiB bodies while pending, then done with the body cleared. */
    private void fillWithFinishedEvents(int round) throws Exception {
        long now = clock.instant().toEpochMilli();
        RawDatabase.execute(dataDir, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                + EVENTS_PER_ROUND + ") INSERT INTO event (dedupe_key, event, organization, database_name,"
                + " received_at, next_attempt_at, body) SELECT 'round-" + round + "-' || i || '-' || hex(randomblob(40)),"
                + " 'deploy_request.queued', 'acme', 'shop', " + now + ", " + now + ", hex(randomblob(2048)) FROM n");
        RawDatabase.execute(dataDir, "UPDATE event SET status = 'done', body = NULL, finished_at = " + now
                + " WHERE status = 'pending'");
    }
}
