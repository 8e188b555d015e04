package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cutover.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
    @TempDir
    Path dataDir;

    private final FakeClock clock = new FakeClock();

    @Test
    void firstStart_createsTheDatabaseWithEveryTable() throws Exception {
        Path nested = dataDir.resolve("not/yet/there");

        try (SqliteStore store = SqliteStore.open(nested, clock)) {
            assertThat(store.events().pendingCount()).isZero();
        }

        assertThat(nested.resolve(SqliteStore.FILE_NAME)).isRegularFile();
        assertThat(RawDatabase.queryStrings(nested, "SELECT name FROM sqlite_master WHERE type = 'table'"
                + " AND name NOT LIKE 'sqlite_%' ORDER BY name"))
                .containsExactly("audit_record", "card_action", "card_reply", "card_thread", "channel_problem", "event",
                        "flyway_schema_history", "linked_account", "login_state", "managed_webhook", "reminder",
                        "second_person_request", "slack_post", "subscription");
        assertThat(RawDatabase.queryStrings(nested, "SELECT version FROM flyway_schema_history WHERE success = 1"))
                .containsExactly("1", "2", "3", "4", "5", "6", "8");
    }

    @Test
    void database_isInWalMode() throws Exception {
        SqliteStore.open(dataDir, clock).close();

        assertThat(RawDatabase.queryStrings(dataDir, "PRAGMA journal_mode")).containsExactly("wal");
    }

    @Test
    void reopening_keepsEverythingWritten() {
        Instant now = clock.instant();
        try (SqliteStore store = SqliteStore.open(dataDir, clock)) {
            store.events().append(Events.queued("event-1"));
            store.subscriptions().subscribe(new Subscription("C1", "shop", Set.of("deploys"), "U1", now));
            store.threads().save(new CardThread("acme", "shop", 7, "C1", "1700000000.000100", now, "opened"));
            store.reminders().schedule("acme", "shop", 7, "C1", "1700000000.000100", now.plusSeconds(60), null);
            store.channelHealth().recordFailure("C2", "not_in_channel", now);
        }

        try (SqliteStore store = SqliteStore.open(dataDir, clock)) {
            assertThat(store.events().due(now, 10)).extracting(event -> event.incoming().dedupeKey())
                    .containsExactly("event-1");
            assertThat(store.subscriptions().forChannel("C1")).hasSize(1);
            assertThat(store.threads().find("acme", "shop", 7, "C1")).isPresent();
            assertThat(store.reminders().due(now.plusSeconds(60))).hasSize(1);
            assertThat(store.channelHealth().problem("C2")).isPresent();
        }
    }

    @Test
    void reopening_doesNotRunMigrationsAgain() throws Exception {
        SqliteStore.open(dataDir, clock).close();

        SqliteStore.open(dataDir, clock).close();

        assertThat(RawDatabase.queryLong(dataDir, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(7); // one row per migration, written once
    }

    @Test
    void closedStore_refusesWritesAndReads() {
        SqliteStore store = SqliteStore.open(dataDir, clock);
        store.close();

        assertThatThrownBy(() -> store.events().append(Events.queued("late"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.events().pendingCount()).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    @Timeout(30)
    void close_whileAppending_keepsEveryAcknowledgedEventAndFailsTheRest() throws Exception {
        SqliteStore store = SqliteStore.open(dataDir, clock);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger unexpected = new AtomicInteger();
        ExecutorService appenders = Executors.newFixedThreadPool(4);
        for (int thread = 0; thread < 4; thread++) {
            int t = thread;
            appenders.execute(() -> {
                for (int i = 0; ; i++) {
                    String key = "t" + t + "-" + i;
                    try {
                        store.events().append(Events.queued(key));
                        acknowledged.add(key);
                    } catch (StoreException e) {
                        refused.incrementAndGet();
                        return;
                    } catch (RuntimeException e) {
                        unexpected.incrementAndGet();
                        return;
                    }
                }
            });
        }
        await().pollInterval(Duration.ofMillis(5)).until(() -> acknowledged.size() >= 200);

        store.close();
        appenders.shutdown();

        assertThat(appenders.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(refused).hasValue(4);
        assertThat(unexpected).hasValue(0);
        try (SqliteStore reopened = SqliteStore.open(dataDir, clock)) {
            Set<String> stored = reopened.events().due(clock.instant(), 1_000_000).stream()
                    .map(event -> event.incoming().dedupeKey()).collect(Collectors.toSet());
            assertThat(stored).containsAll(acknowledged);
        }
    }

    @Test
    void unwritableDataDir_failsToOpenNamingThePath() throws Exception {
        Path file = dataDir.resolve("a-file");
        java.nio.file.Files.writeString(file, "not a directory");

        assertThatThrownBy(() -> SqliteStore.open(file.resolve("data"), clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("a-file");
    }
}
