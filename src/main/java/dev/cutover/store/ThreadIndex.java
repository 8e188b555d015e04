package dev.cutover.store;

import java.util.Optional;

/** Finds the Slack card of a deploy request in a channel, so news updates it instead of posting anew. Thread-safe. */
public interface ThreadIndex {
    Optional<CardThread> find(String org, String database, int number, String channelId);

    /** Inserts the card, or replaces the one saved for the same deploy request and channel. */
    void save(CardThread thread);

    void delete(String org, String database, int number, String channelId);
}
