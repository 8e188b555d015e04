package dev.cutover.store;

import java.time.Instant;
import java.util.List;

/** Reminders waiting for their time. At most one is pending per deploy request and channel. Thread-safe. */
public interface ReminderStore {
    /**
     * Schedules a reminder, replacing any pending one for the same deploy request and channel.
     *
     * @param mention whom to mention, or null
     * @return the pending reminder, with its new id
     */
    Reminder schedule(String org, String database, int number, String channelId, String threadTs, Instant fireAt,
            String mention);

    /** Drops the deploy request's pending reminders in every channel (it was reverted, skipped or closed). */
    void cancel(String org, String database, int number);

    /** Pending reminders due at {@code now}, earliest first. */
    List<Reminder> due(Instant now);

    /** The reminder was posted; {@link #due} no longer returns it. */
    void markSent(long id);
}
