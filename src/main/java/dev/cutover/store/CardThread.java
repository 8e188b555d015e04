package dev.cutover.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a deploy request's living card sits in one channel: the parent message {@code ts}, which is also the
 * thread for its replies.
 *
 * @param renderedUpdatedAt the deploy request's {@code updated_at} the card shows, so older news never
 *     overwrites newer; null when unknown
 * @param lastEvent the last event name rendered into the thread, or null
 */
public record CardThread(String org, String database, int number, String channelId, String ts,
        Instant renderedUpdatedAt, String lastEvent) {
    public CardThread {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(ts, "ts");
    }
}
