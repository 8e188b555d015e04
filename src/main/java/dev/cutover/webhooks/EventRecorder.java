package dev.cutover.webhooks;

import dev.cutover.planetscale.WebhookEnvelope;

/**
 * Where accepted webhook events go: a durable outbox. {@link #record} returns only once the event is safe
 * on disk, and throws when it could not be stored, so the listener never answers 2xx for a lost event.
 */
public interface EventRecorder {
    enum Outcome { RECORDED, DUPLICATE }

    Outcome record(WebhookEnvelope event);
}
