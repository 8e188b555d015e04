package dev.cutover.store;

import java.util.List;

/** Which channels follow which databases. Thread-safe. */
public interface SubscriptionStore {
    /** Adds the subscription, or replaces the channel's existing one for the same database. */
    void subscribe(Subscription subscription);

    /** @return whether the channel was subscribed to the database */
    boolean unsubscribe(String channelId, String database);

    /** The channel's subscriptions, by database name. */
    List<Subscription> forChannel(String channelId);

    /** Every channel following the database, by channel id. */
    List<Subscription> forDatabase(String database);

    /** Every database some channel follows, by name. */
    List<String> databases();
}
