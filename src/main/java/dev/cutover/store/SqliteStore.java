package dev.cutover.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The store in one SQLite file, {@code cutover.db} in the data directory, migrated by Flyway on open. One writer
 * thread owns the write connection and group-commits; a second connection serves reads (see
 * {@link ReadConnection}). Thread-safe; close it once, at shutdown.
 */
public final class SqliteStore implements Store {
    static final String FILE_NAME = "cutover.db";
    /** Inside the jar, next to our classes; Flyway scans it there and fails if it finds nothing. */
    static final String MIGRATIONS = "classpath:db/migration";
    private static final long AUTO_VACUUM_INCREMENTAL = 2;

    private final DataDirectoryLock lock;
    private final SqlSession writeSession;
    private final GroupCommitWriter writer;
    private final ReadConnection reader;
    private final JdbcEventJournal events;
    private final JdbcSubscriptionStore subscriptions;
    private final JdbcThreadIndex threads;
    private final JdbcReminderStore reminders;
    private final JdbcChannelHealth channelHealth;
    private final JdbcManagedWebhooks webhooks;
    private final JdbcLinkedAccounts linkedAccounts;
    private final JdbcAuditLog audit;
    private final JdbcActionLog actions;
    private final JdbcPostLedger posts;
    private final JdbcSecondPersonRequests secondPersons;
    private final StoreHealth health;
    private final String location;

    private SqliteStore(SqlSession writeSession, SqlSession readSession, Clock clock, Path file, DataDirectoryLock lock) {
        this.lock = lock;
        this.writeSession = writeSession;
        this.location = file.toAbsolutePath().toString();
        this.health = new StoreHealth(location, clock);
        this.writer = new GroupCommitWriter(writeSession, "store-writer", health);
        this.reader = new ReadConnection(readSession);
        this.events = new JdbcEventJournal(writer, reader, clock);
        this.subscriptions = new JdbcSubscriptionStore(writer, reader);
        this.threads = new JdbcThreadIndex(writer, reader);
        this.reminders = new JdbcReminderStore(writer, reader, clock);
        this.channelHealth = new JdbcChannelHealth(writer, reader);
        this.webhooks = new JdbcManagedWebhooks(writer, reader);
        this.linkedAccounts = new JdbcLinkedAccounts(writer, reader);
        this.audit = new JdbcAuditLog(writer, reader);
        this.actions = new JdbcActionLog(writer, reader);
        this.posts = new JdbcPostLedger(writer, reader);
        this.secondPersons = new JdbcSecondPersonRequests(writer, reader);
    }

    /**
     * Opens (creating on first start) {@code cutover.db} in {@code dataDir} and brings its schema up to date.
     *
     * @param clock stamps when events finish and reminders are sent
     * @throws StoreException when the directory, the file or a migration fails; Cutover cannot start then
     * @throws DataDirectoryInUseException when another process already has this data directory open
     */
    public static SqliteStore open(Path dataDir, Clock clock) {
        return open(dataDir, clock, Durability.DEFAULT);
    }

    static SqliteStore open(Path dataDir, Clock clock, Durability durability) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir, e);
        }
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
        try {
            return open(dataDir, file, clock, durability, lock);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static SqliteStore open(Path dataDir, Path file, Clock clock, Durability durability,
            DataDirectoryLock lock) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        SQLiteConfig config = durability.sqliteConfig();
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(url);
        reclaimFreedPages(config, url, file);
        migrate(dataSource, SqliteStore.class.getClassLoader());

        SqlSession writeSession = null;
        try {
            writeSession = new SqlSession(config.createConnection(url));
            SQLiteConfig readConfig = durability.sqliteConfig();
            SqlSession readSession = new SqlSession(readConfig.createConnection(url));
            // The read path must never write: writes belong to the single writer thread.
            readSession.execute("PRAGMA query_only = ON");
            return new SqliteStore(writeSession, readSession, clock, file, lock);
        } catch (SQLException e) {
            closeQuietly(writeSession);
            throw new StoreException("cannot open " + file, e);
        }
    }

    /**
     * Turns on {@code auto_vacuum = INCREMENTAL}, so that pages freed by {@link #purgeFinishedBefore} can be handed
     * back to the file system. A new file takes it before its first table; a file from before this setting is
     * rebuilt once with {@code VACUUM} (which cannot run inside a migration's transaction, hence here).
     */
    private static void reclaimFreedPages(SQLiteConfig config, String url, Path file) {
        try (SqlSession session = new SqlSession(config.createConnection(url))) {
            long mode;
            try (java.sql.ResultSet row = session.prepare("PRAGMA auto_vacuum").executeQuery()) {
                mode = row.next() ? row.getLong(1) : 0;
            }
            if (mode != AUTO_VACUUM_INCREMENTAL) {
                session.execute("PRAGMA auto_vacuum = INCREMENTAL");
                session.execute("VACUUM");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot set up " + file, e);
        }
    }

    /**
     * Forgets what is finished: events done or given up before {@code cutoff} (and their dedupe keys) and
     * reminders sent before it, then returns the freed pages to the file system so the file stops growing.
     *
     * @return how many events were deleted
     */
    @Override
    public int purgeFinishedBefore(Instant cutoff) {
        int events = this.events.purgeFinishedBefore(cutoff);
        // Completed posts only: an intent whose outcome is still unknown is what keeps its event exactly once.
        writer.write("purge post ledger", session -> {
            PreparedStatement delete = session.prepare("DELETE FROM slack_post WHERE ts IS NOT NULL"
                    + " AND intended_at < ?");
            Columns.setInstant(delete, 1, cutoff);
            return delete.executeUpdate();
        });
        writer.write("purge sent reminders", session -> {
            PreparedStatement delete = session.prepare("DELETE FROM reminder WHERE sent_at IS NOT NULL"
                    + " AND sent_at < ?");
            Columns.setInstant(delete, 1, cutoff);
            return delete.executeUpdate();
        });
        writer.write("reclaim free pages", session -> {
            session.runToCompletion("PRAGMA incremental_vacuum");
            return null;
        });
        return events;
    }

    /**
     * Applies the migrations found under {@link #MIGRATIONS} in {@code classLoader}: a directory in tests and
     * development, our own jar once shaded.
     */
    static void migrate(DataSource dataSource, ClassLoader classLoader) {
        try {
            Flyway.configure(classLoader)
                    .dataSource(dataSource)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate the database schema", e);
        }
    }

    private static void closeQuietly(SqlSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                // Already failing; the first error is the one worth reporting.
            }
        }
    }

    /** The read path, for {@link StoreCopy}. */
    SqlReader reader() {
        return reader;
    }

    @Override
    public Leases leases() {
        return Leases.ALWAYS_HELD;
    }

    @Override
    public DeployRequestLocks locks() {
        return DeployRequestLocks.IN_PROCESS;
    }

    /** One process per data directory: {@link DataDirectoryLock} refuses a second one. */
    @Override
    public boolean isShared() {
        return false;
    }

    @Override
    public void ping() {
        reader.read("read the database", session -> {
            try (java.sql.ResultSet row = session.prepare("SELECT 1").executeQuery()) {
                return row.next();
            }
        });
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public EventJournal events() {
        return events;
    }

    @Override
    public SubscriptionStore subscriptions() {
        return subscriptions;
    }

    @Override
    public ThreadIndex threads() {
        return threads;
    }

    @Override
    public ReminderStore reminders() {
        return reminders;
    }

    @Override
    public ActionLog actions() {
        return actions;
    }

    @Override
    public PostLedger posts() {
        return posts;
    }

    @Override
    public StoreHealth health() {
        return health;
    }

    @Override
    public ChannelHealth channelHealth() {
        return channelHealth;
    }

    @Override
    public LinkedAccounts linkedAccounts() {
        return linkedAccounts;
    }

    @Override
    public AuditLog audit() {
        return audit;
    }

    @Override
    public SecondPersonRequests secondPersons() {
        return secondPersons;
    }

    @Override
    public ManagedWebhooks webhooks() {
        return webhooks;
    }

    /** Finishes queued writes, then closes both connections. Later calls throw {@link StoreException}. */
    @Override
    public void close() {
        writer.close();
        try {
            try {
                reader.close();
            } finally {
                // Closing the last connection also checkpoints the WAL into the database file.
                try {
                    writeSession.close();
                } finally {
                    lock.close();
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot close " + FILE_NAME, e);
        }
    }

    /**
     * How hard a commit tries to reach the disk, and how long a write waits for a lock.
     *
     * <p>{@code synchronous=FULL}: in WAL mode NORMAL already survives a killed process (a commit is in the OS's
     * page cache before we answer), but a power loss or host crash can take the last commits back, and those are
     * webhooks we answered 2xx for, which PlanetScale will not send again. FULL syncs the WAL on every commit; since
     * appends are group-committed that is one sync per batch, not per event. Measured with
     * {@code JournalThroughputCheck} (32 threads, 2 shared cores, quiet moment): unpaced about 29 000 appends/s with
     * FULL and 31 000 with NORMAL; paced at 2 000/s, p50/p99 0.4/1.4 ms with FULL and 0.2/5.7 ms with NORMAL. While
     * other builds saturated the cores, tails reached 15-100 ms in both modes alike (CPU, not syncing). NORMAL is
     * the fallback if a slow disk ever puts the p99 over budget.
     *
     * <p>Busy timeout 1 s: only an operator's sqlite3 or a backup can hold our lock, and a webhook should get a
     * 5xx well inside PlanetScale's 2 s wait rather than time out.
     *
     * @param synchronous SQLite's {@code synchronous} for every connection
     * @param busyTimeout how long a connection waits for a lock held elsewhere
     */
    record Durability(SQLiteConfig.SynchronousMode synchronous, Duration busyTimeout) {
        static final Durability DEFAULT = new Durability(SQLiteConfig.SynchronousMode.FULL, Duration.ofSeconds(1));

        SQLiteConfig sqliteConfig() {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(synchronous);
            config.setBusyTimeout((int) busyTimeout.toMillis());
            // After a checkpoint the WAL is cut back to this size instead of staying at its largest ever.
            config.setJournalSizeLimit(4 << 20);
            return config;
        }
    }
}
