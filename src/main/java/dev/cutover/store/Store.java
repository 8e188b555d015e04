package dev.cutover.store;

/** Everything Cutover keeps across restarts, one repository per concern. */
public interface Store {
    EventJournal events();

    SubscriptionStore subscriptions();

    ThreadIndex threads();

    ReminderStore reminders();

    ChannelHealth channelHealth();

    ManagedWebhooks webhooks();

    ActionLog actions();

    PostLedger posts();

    /** Whether writes succeed right now. */
    StoreHealth health();
}
