package dev.cutover.store;

import java.time.Instant;

/** Webhook events for tests, alike except where a test says otherwise. */
final class Events {
    static final Instant RECEIVED_AT = Instant.parse("2026-11-21T12:00:00Z");

    private Events() {}

    static IncomingEvent queued(String dedupeKey) {
        return event(dedupeKey, RECEIVED_AT);
    }

    static IncomingEvent event(String dedupeKey, Instant receivedAt) {
        return new IncomingEvent(dedupeKey, "deploy_request.queued", "acme", "shop", 7,
                Instant.parse("2026-11-21T11:59:58Z"), receivedAt,
                "{\"event\":\"deploy_request.queued\",\"key\":\"" + dedupeKey + "\"}");
    }
}
