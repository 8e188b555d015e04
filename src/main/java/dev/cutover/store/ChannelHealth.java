package dev.cutover.store;

import java.time.Instant;
import java.util.Optional;

/** Remembers channels Cutover cannot post to, so {@code /pscale subscriptions} can say why. Thread-safe. */
public interface ChannelHealth {
    /** Replaces the channel's previous problem, if any. */
    void recordFailure(String channelId, String error, Instant at);

    /** Posting works again. */
    void clear(String channelId);

    Optional<ChannelProblem> problem(String channelId);
}
