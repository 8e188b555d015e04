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

    /** Requests for a second person's confirmation ({@code require_second_person} in the policy). */
    SecondPersonRequests secondPersons();

    /** Whether writes succeed right now. */
    StoreHealth health();
}
