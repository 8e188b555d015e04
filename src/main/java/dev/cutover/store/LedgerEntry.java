package dev.cutover.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One post's record in the {@link PostLedger}.
 *
 * @param threadTs the parent's ts for a reply, else null
 * @param ts the message's ts once Slack accepted it; null while the outcome is unknown
 */
public record LedgerEntry(String postKey, String channelId, String threadTs, Instant intendedAt, String ts) {
    public LedgerEntry {
        Objects.requireNonNull(postKey, "postKey");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(intendedAt, "intendedAt");
    }

    public boolean isPosted() {
        return ts != null;
    }
}
