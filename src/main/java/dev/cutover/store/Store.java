package dev.cutover.store;

import java.time.Instant;

/**
 * Everything Cutover keeps across restarts, one repository per concern: {@link SqliteStore} (one process, the
 * default) or {@link PostgresStore} (several replicas sharing one database).
 */
public interface Store extends AutoCloseable {
    EventJournal events();

    SubscriptionStore subscriptions();

    ThreadIndex threads();

    ReminderStore reminders();

    ChannelHealth channelHealth();

    ManagedWebhooks webhooks();

    ActionLog actions();

    PostLedger posts();

    /** Slack users linked to their PlanetScale account ({@code /pscale login}); tokens sealed by the caller. */
    LinkedAccounts linkedAccounts();

    /** The audit record of attempted writes, append-only. */
    AuditLog audit();

    /** Requests for a second person's confirmation ({@code require_second_person} in the policy). */
    SecondPersonRequests secondPersons();

    /** Whether writes succeed right now. */
    StoreHealth health();

    /** Which replica runs the fleet-wide jobs. */
    Leases leases();

    /** Serialises work on one deploy request across every process that shares this store. */
    DeployRequestLocks locks();

    /** Slack's per-channel pace as every replica sees it; null when this process is the only one (SQLite). */
    default ChannelPaces sharedPaces() {
        return null;
    }

    /** Whether several processes may share this store (and so need leases, claims and a shared pace). */
    boolean isShared();

    /**
     * Asks the database a trivial question, for readiness: a store that cannot be reached must take the replica
     * out of the load balancer.
     *
     * @throws StoreException when it does not answer
     */
    void ping();

    /**
     * Forgets what is finished: events done or given up before {@code cutoff} (and their dedupe keys), completed
     * Slack posts and sent reminders intended or sent before it.
     *
     * @return how many events were deleted
     */
    int purgeFinishedBefore(Instant cutoff);

    /** Where the data lives, for logs and health answers; never includes a password. */
    String location();

    @Override
    void close();
}
