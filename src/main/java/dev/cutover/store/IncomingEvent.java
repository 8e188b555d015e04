package dev.cutover.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A webhook as the listener recorded it, before anything acts on it. The store keeps instants to the
 * millisecond.
 *
 * @param dedupeKey the same for a retried delivery of the same event; unique in the journal
 * @param event PlanetScale's event name, e.g. {@code deploy_request.queued}
 * @param deployRequestNumber null for events that are not about a deploy request
 * @param resourceUpdatedAt the resource's {@code updated_at}, or null when the payload has none
 * @param body the verified request body, kept until the event is done
 */
public record IncomingEvent(
        String dedupeKey,
        String event,
        String organization,
        String database,
        Integer deployRequestNumber,
        Instant resourceUpdatedAt,
        Instant receivedAt,
        String body) {
    public IncomingEvent {
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(body, "body");
        if (dedupeKey.isBlank()) {
            throw new IllegalArgumentException("dedupeKey must not be blank");
        }
    }
}
