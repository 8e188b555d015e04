package dev.cutover.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The last reason posting to a channel failed, e.g. Slack's {@code not_in_channel}.
 *
 * @param error a short, human-safe reason (a Slack error code, not a stack trace)
 */
public record ChannelProblem(String channelId, String error, Instant at) {
    public ChannelProblem {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(at, "at");
    }
}
