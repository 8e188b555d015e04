package dev.cutover.webhooks;

import java.time.Instant;
import java.util.Optional;

/**
 * One PlanetScale webhook delivery, as far as intake needs to understand it. The raw {@code body} is kept
 * verbatim for the worker; {@code dedupeKey} makes a redelivery of the same event a no-op.
 *
 * @param deployRequestNumber set for {@code deploy_request.*} events
 * @param resourceUpdatedAt the resource's {@code updated_at}, the ordering key for stale-event checks
 */
public record WebhookEvent(
        String event,
        String organization,
        String database,
        Optional<Integer> deployRequestNumber,
        Optional<Instant> resourceUpdatedAt,
        String dedupeKey,
        String body) {

    public boolean isDeployRequestEvent() {
        return event.startsWith("deploy_request.");
    }
}
