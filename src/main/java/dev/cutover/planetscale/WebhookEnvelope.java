package dev.cutover.planetscale;

import dev.cutover.deploy.EventType;
import java.time.Instant;
import java.util.Optional;

/**
 * What intake needs of a webhook body, read by one streaming pass ({@link WebhookParser#envelope}) without building
 * a tree or binding the deploy request: who it is for, its ordering and dedupe keys, and the verified body, kept
 * verbatim so delivery can read the rest ({@link WebhookParser#parse}) from the durable journal.
 *
 * @param name PlanetScale's event name as sent (also for {@link EventType#UNKNOWN})
 * @param deployRequestNumber set for {@code deploy_request.*} events
 * @param resourceUpdatedAt the resource's {@code updated_at}, the ordering key for stale-event checks
 * @param reconciliation whether the body carries Cutover's own reconciliation block (never PlanetScale's)
 */
public record WebhookEnvelope(
        String name,
        EventType type,
        String organization,
        String database,
        Optional<Integer> deployRequestNumber,
        Optional<Instant> resourceUpdatedAt,
        String dedupeKey,
        boolean reconciliation,
        String body) {

    /** A deploy-request event that claims to come from Cutover's reconciler. */
    public boolean isReconciledDeployRequest() {
        return reconciliation && type.isDeployRequest();
    }
}
