package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class GroupCommitWriterTest {
    @TempDir
    Path dir;

    private SqlSession session;
    private GroupCommitWriter writer;
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void open() throws SQLException {
        session = new SqlSession(DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("test.db")));
        session.execute("CREATE TABLE item (name TEXT PRIMARY KEY)");
        writer = new GroupCommitWriter(session, "test-writer", new StoreHealth("test.db", Clock.systemUTC()));
    }

    @AfterEach
    void close() throws SQLException {
        release.countDown();
        callers.shutdownNow();
        writer.close();
        session.close();
    }

    /** Occupies the writer thread until {@link #release} opens, so later writes pile up in its queue. */
    private void holdTheWriter() {
        CountDownLatch holding = new CountDownLatch(1);
        callers.submit(() -> writer.write("hold", session -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        await().pollInterval(Duration.ofMillis(5)).until(() -> holding.getCount() == 0);
    }

    private Future<Integer> insertLater(String name) {
        return callers.submit(() -> writer.write("insert item", session -> {
            PreparedStatement insert = session.prepare("INSERT INTO item (name) VALUES (?)");
            insert.setString(1, name);
            return insert.executeUpdate();
        }));
    }

    private long items() {
        return writer.write("count", session -> {
            try (var row = session.prepare("SELECT count(*) FROM item").executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    @Test
    void writesQueuedTogether_shareOneCommit() throws Exception {
        holdTheWriter();
        List<Future<Integer>> inserts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            inserts.add(insertLater("item-" + i));
        }
        await().pollInterval(Duration.ofMillis(5)).until(() -> writer.queued() == 10);

        release.countDown();

        for (Future<Integer> insert : inserts) {
            assertThat(insert.get()).isEqualTo(1);
        }
        assertThat(writer.commits()).isEqualTo(2);
        assertThat(items()).isEqualTo(10);
    }

    @Test
    void failingWriteInABatch_failsOnlyItsCaller() throws Exception {
        holdTheWriter();
        Future<Integer> first = insertLater("same");
        await().pollInterval(Duration.ofMillis(5)).until(() -> writer.queued() == 1);
        Future<Integer> clash = insertLater("same");
        await().pollInterval(Duration.ofMillis(5)).until(() -> writer.queued() == 2);
        Future<Integer> other = insertLater("other");
        await().pollInterval(Duration.ofMillis(5)).until(() -> writer.queued() == 3);

        release.countDown();

        assertThat(first.get()).isEqualTo(1);
        assertThat(other.get()).isEqualTo(1);
        assertThatThrownBy(clash::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreException.class).hasMessageContaining("insert item");
        assertThat(writer.commits()).isEqualTo(2);
        assertThat(items()).isEqualTo(2);
    }

    @Test
    void runtimeExceptionInAWrite_reachesTheCallerAsStoreException_andTheWriterKeepsServing() {
        assertThatThrownBy(() -> writer.write("explode", session -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(StoreException.class).hasRootCauseInstanceOf(IllegalStateException.class);

        assertThat(items()).isZero();
    }

    @Test
    void transactionLostMidBatch_failsEveryWriteInIt_andLaterWritesStillWork() throws Exception {
        holdTheWriter();
        Future<Integer> insert = insertLater("item");
        // Ends the transaction behind the writer's back, as SQLite does on its own after a disk-full or I/O error.
        Future<Object> sabotage = callers.submit(() -> writer.write("sabotage", session -> {
            session.execute("ROLLBACK");
            return null;
        }));
        await().pollInterval(Duration.ofMillis(5)).until(() -> writer.queued() == 2);

        release.countDown();

        assertThatThrownBy(insert::get).cause().isInstanceOf(StoreException.class);
        assertThatThrownBy(sabotage::get).cause().isInstanceOf(StoreException.class);
        assertThat(items()).isZero();
        assertThat(insertLater("after").get()).isEqualTo(1);
        assertThat(items()).isEqualTo(1);
    }

    @Test
    void writeAfterClose_isRefused() {
        writer.close();

        assertThatThrownBy(() -> items()).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }
}
