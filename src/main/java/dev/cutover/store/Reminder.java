package dev.cutover.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A reply to post in a card's thread at {@code fireAt}, e.g. before a revert window closes.
 *
 * @param id the store's id, for {@link ReminderStore#markSent}
 * @param mention whom to mention (a Slack user or group reference), or null
 */
public record Reminder(long id, String org, String database, int number, String channelId, String threadTs,
        Instant fireAt, String mention) {
    public Reminder {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(threadTs, "threadTs");
        Objects.requireNonNull(fireAt, "fireAt");
    }
}
