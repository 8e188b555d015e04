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

    /** Whether {@code channel} gets {@code database}'s deploy-request events (its thread then tells the story). */
    public boolean follows(String channel, String database) {
        return channel != null && channelsFor(database, EventType.DEPLOY_REQUEST_QUEUED).contains(channel);
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
