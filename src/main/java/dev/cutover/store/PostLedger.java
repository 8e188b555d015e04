package dev.cutover.store;

import java.time.Instant;
import java.util.Optional;

/**
 * The intent to post each Slack message, recorded before it is sent, and its {@code ts} once Slack accepted it: what
 * makes posting exactly once across lost answers and crashes. Thread-safe.
 */
public interface PostLedger {
    Optional<LedgerEntry> find(String postKey);

    /** Records that {@code postKey} is about to be posted; durable before this returns. */
    void intend(String postKey, String channelId, String threadTs, Instant at);

    /** Slack accepted the post as {@code ts}. */
    void posted(String postKey, String ts);
}
