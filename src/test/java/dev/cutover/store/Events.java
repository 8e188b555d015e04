package dev.cutover.store;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook events for tests, alike except where a test says otherwise. Each distinct dedupe key belongs to its own
 * deploy request, so the journal's one-pending-event-per-deploy-request rule only applies where a test asks for
 * it with {@link #forRequest}.
 */
final class Events {
    static final Instant RECEIVED_AT = Instant.parse("2026-11-21T12:00:00Z");
    private static final ConcurrentHashMap<String, Integer> NUMBERS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(1);

    private Events() {}

    static IncomingEvent queued(String dedupeKey) {
        return event(dedupeKey, RECEIVED_AT);
    }

    static IncomingEvent event(String dedupeKey, Instant receivedAt) {
        return forRequest(dedupeKey, NUMBERS.computeIfAbsent(dedupeKey, key -> NEXT_NUMBER.getAndIncrement()),
                receivedAt);
    }

    static IncomingEvent forRequest(String dedupeKey, int deployRequestNumber, Instant receivedAt) {
        return new IncomingEvent(dedupeKey, "deploy_request.queued", "acme", "shop", deployRequestNumber,
                Instant.parse("2026-11-21T11:59:58Z"), receivedAt,
                "{\"event\":\"deploy_request.queued\",\"key\":\"" + dedupeKey + "\"}");
    }
}
