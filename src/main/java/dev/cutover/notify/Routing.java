package dev.cutover.notify;

import dev.cutover.deploy.EventType;
import dev.cutover.store.SubscriptionStore;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which channels hear about an event: every channel subscribed to the database whose filter matches,
 * else the default channel (for databases nobody subscribed to), else nobody.
 */
public final class Routing {
    private final SubscriptionStore subscriptions;
    private final Optional<String> defaultChannel;

    public Routing(SubscriptionStore subscriptions, Optional<String> defaultChannel) {
        this.subscriptions = subscriptions;
        this.defaultChannel = defaultChannel;
    }

    Set<String> channelsFor(String database, EventType type) {
        var forDatabase = subscriptions.forDatabase(database);
        Set<String> channels = new LinkedHashSet<>();
        forDatabase.stream().filter(s -> s.matches(type)).forEach(s -> channels.add(s.channelId()));
        if (forDatabase.isEmpty()) {
            defaultChannel.ifPresent(channels::add);
        }
        return channels;
    }
}
