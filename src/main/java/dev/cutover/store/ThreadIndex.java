package dev.cutover.store;

import java.util.List;
import java.util.Optional;

/** Finds the Slack card of a deploy request in a channel, so news updates it instead of posting anew. Thread-safe. */
public interface ThreadIndex {
    Optional<CardThread> find(String org, String database, int number, String channelId);

    /** Inserts the card, or replaces the one saved for the same deploy request and channel. */
    void save(CardThread thread);

    /** Every channel's thread of one deploy request. */
    List<CardThread> all(String org, String database, int number);

    void delete(String org, String database, int number, String channelId);

    /** Remembers a reply of the card's thread. */
    void saveReply(String org, String database, int number, ThreadReply reply);

    /** The replies of the card's thread in {@code channelId} that still carry buttons, oldest first. */
    List<ThreadReply> liveReplies(String org, String database, int number, String channelId);

    /** The reply of a card's thread at {@code ts}, if it is one. */
    Optional<ThreadReply> reply(String channelId, String ts);

    /** The reply's buttons are gone. */
    void retire(ThreadReply reply);
}
