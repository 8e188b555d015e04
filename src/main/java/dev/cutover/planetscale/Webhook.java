package dev.cutover.planetscale;

import dev.cutover.deploy.EventType;
import dev.cutover.deploy.PlanetScaleEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * One PlanetScale webhook delivery, parsed once by {@link WebhookParser}: the envelope intake needs (names,
 * ordering and dedupe keys) and the typed {@link #event()} delivery acts on. The verified {@code body} is kept
 * verbatim so the durable journal can replay it after a restart.
 *
 * @param name PlanetScale's event name as sent (also for {@link EventType#UNKNOWN})
 * @param deployRequestNumber set for {@code deploy_request.*} events
 * @param resourceUpdatedAt the resource's {@code updated_at}, the ordering key for stale-event checks
 */
public record Webhook(
        String name,
        String organization,
        String database,
        Optional<Integer> deployRequestNumber,
        Optional<Instant> resourceUpdatedAt,
        String dedupeKey,
        PlanetScaleEvent event,
        String body) {

    public EventType type() {
        return event.type();
    }
}
