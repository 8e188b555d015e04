package dev.cutover.store;

import java.util.Objects;

/**
 * A reply in a card's thread, with the text it keeps once its buttons are retired.
 *
 * @param live whether it still carries buttons
 */
public record ThreadReply(String channelId, String ts, String text, boolean live) {
    public ThreadReply {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(text, "text");
    }
}
