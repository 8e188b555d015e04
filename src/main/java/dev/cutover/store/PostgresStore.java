package dev.cutover.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * The store in a PostgreSQL database shared by several Cutover replicas ({@code CUTOVER_DATABASE_URL}), through a
 * HikariCP pool and the official driver, migrated by Flyway from {@code db/postgresql} on open (replicas starting
 * together take turns: Flyway locks its history table). The repositories run the same SQL as on SQLite; what
 * several replicas add is here: claims on outbox events, leases, advisory locks per deploy request and the shared
 * Slack pace. Thread-safe; close it once, at shutdown.
 */
public final class PostgresStore implements Store {
    static final String MIGRATIONS = "classpath:db/postgresql";
    /** Webhook intake, the outbox's lanes, commands and the periodic jobs; PostgreSQL's default allows 100. */
    static final int POOL_SIZE = 16;

    private final HikariDataSource pool;
    private final PooledConnections sql;
    private final String location;
    private final StoreHealth health;
    private final JdbcEventJournal events;
    private final JdbcSubscriptionStore subscriptions;
    private final JdbcThreadIndex threads;
    private final JdbcReminderStore reminders;
    private final JdbcChannelHealth channelHealth;
    private final JdbcManagedWebhooks webhooks;
    private final JdbcActionLog actions;
    private final JdbcPostLedger posts;
    private final JdbcLinkedAccounts linkedAccounts;
    private final JdbcAuditLog audit;
    private final JdbcSecondPersonRequests secondPersons;
    private final JdbcLeases leases;
    private final AdvisoryLocks locks;
    private final JdbcChannelPaces paces;

    /**
     * Where the database is and who this replica is.
     *
     * @param jdbcUrl a {@code jdbc:postgresql://} URL
     * @param user null when the URL carries it
     * @param password null when the URL carries it (or none is needed)
     * @param replica this process's name in claims and leases (host name and pid)
     * @param claimLease how long a claimed outbox event stays hidden from the other replicas
     */
    public record Connection(String jdbcUrl, String user, String password, String replica, Duration claimLease) {
        public Connection {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Objects.requireNonNull(replica, "replica");
            Objects.requireNonNull(claimLease, "claimLease");
        }

        @Override
        public String toString() {
            return "Connection[" + withoutSecrets(jdbcUrl) + ", replica=" + replica + "]";
        }
    }

    private PostgresStore(HikariDataSource pool, Connection connection, Clock clock) {
        this.pool = pool;
        this.location = withoutSecrets(connection.jdbcUrl());
        this.health = new StoreHealth(location, clock);
        this.sql = new PooledConnections(pool, health);
        this.events = new JdbcEventJournal(sql, sql, clock,
                Optional.of(new JdbcEventJournal.Claims(connection.replica(), connection.claimLease())));
        this.subscriptions = new JdbcSubscriptionStore(sql, sql);
        this.threads = new JdbcThreadIndex(sql, sql);
        this.reminders = new JdbcReminderStore(sql, sql, clock);
        this.channelHealth = new JdbcChannelHealth(sql, sql);
        this.webhooks = new JdbcManagedWebhooks(sql, sql);
        this.actions = new JdbcActionLog(sql, sql);
        this.posts = new JdbcPostLedger(sql, sql);
        this.linkedAccounts = new JdbcLinkedAccounts(sql, sql);
        this.audit = new JdbcAuditLog(sql, sql);
        this.secondPersons = new JdbcSecondPersonRequests(sql, sql);
        this.leases = new JdbcLeases(sql, clock);
        this.locks = new AdvisoryLocks(sql);
        this.paces = new JdbcChannelPaces(sql);
    }

    /**
     * Connects, and brings the schema up to date.
     *
     * @throws StoreException when the database cannot be reached or a migration fails; Cutover cannot start then
     */
    public static PostgresStore open(Connection connection, Clock clock) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(connection.jdbcUrl());
        if (connection.user() != null) {
            config.setUsername(connection.user());
        }
        if (connection.password() != null) {
            config.setPassword(connection.password());
        }
        config.setPoolName("cutover-store");
        config.setMaximumPoolSize(POOL_SIZE);
        // Grows on demand; an idle replica (and each test) keeps few connections open.
        config.setMinimumIdle(2);
        // A webhook must get its 503 well inside PlanetScale's wait, not hang on an unreachable database.
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        // Start even while the database is briefly away; the first use reports it.
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure(PostgresStore.class.getClassLoader())
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            return new PostgresStore(pool, connection, clock);
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("cannot open the PostgreSQL store " + withoutSecrets(connection.jdbcUrl())
                    + ": " + rootMessage(e), e);
        }
    }

    /** The URL without a {@code password=} parameter or {@code user:password@} part. */
    static String withoutSecrets(String url) {
        return url.replaceAll("(?i)([?&]password=)[^&]*", "$1***").replaceAll("//[^/@]*@", "//");
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Reads and writes, for {@link StoreCopy}. */
    PooledConnections sql() {
        return sql;
    }

    @Override
    public int purgeFinishedBefore(Instant cutoff) {
        int purged = events.purgeFinishedBefore(cutoff);
        sql.write("purge post ledger", session -> {
            PreparedStatement delete = session.prepare("DELETE FROM slack_post WHERE ts IS NOT NULL"
                    + " AND intended_at < ?");
            Columns.setInstant(delete, 1, cutoff);
            return delete.executeUpdate();
        });
        sql.write("purge sent reminders", session -> {
            PreparedStatement delete = session.prepare("DELETE FROM reminder WHERE sent_at IS NOT NULL"
                    + " AND sent_at < ?");
            Columns.setInstant(delete, 1, cutoff);
            return delete.executeUpdate();
        });
        // Autovacuum gives the space back; nothing to do by hand as with SQLite's incremental_vacuum.
        return purged;
    }

    @Override
    public void ping() {
        sql.read("reach the database", session -> {
            try (ResultSet row = session.prepare("SELECT 1").executeQuery()) {
                return row.next();
            }
        });
    }

    @Override
    public boolean isShared() {
        return true;
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
    public ChannelHealth channelHealth() {
        return channelHealth;
    }

    @Override
    public ManagedWebhooks webhooks() {
        return webhooks;
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
    public StoreHealth health() {
        return health;
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public DeployRequestLocks locks() {
        return locks;
    }

    @Override
    public ChannelPaces sharedPaces() {
        return paces;
    }

    /** Closes the pool; connections (and any advisory lock on them) go with it. */
    @Override
    public void close() {
        pool.close();
    }
}
