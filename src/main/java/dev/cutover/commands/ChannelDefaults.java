package dev.cutover.commands;

import dev.cutover.store.Subscription;
import dev.cutover.store.SubscriptionStore;
import java.util.List;
import java.util.Optional;

/** The database a channel means when a command leaves it out: the one it is subscribed to, if exactly one. */
final class ChannelDefaults {
    private final SubscriptionStore subscriptions;

    ChannelDefaults(SubscriptionStore subscriptions) {
        this.subscriptions = subscriptions;
    }

    Optional<String> databaseFor(String channelId) {
        List<Subscription> subs = subscriptions.forChannel(channelId);
        return subs.size() == 1 ? Optional.of(subs.get(0).database()) : Optional.empty();
    }

    List<String> databasesOf(String channelId) {
        return subscriptions.forChannel(channelId).stream().map(Subscription::database).toList();
    }
}
