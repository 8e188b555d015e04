package dev.cutover.planetscale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cutover.deploy.RevertWindow;

/**
 * {@code deployment.deployment_revert_request} (planetscale-api.md §4.5): {@code waiting_period_end_at} is
 * the end of the revert window, {@code null} before cutover.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record WireDeploymentRevert(WireActor actor, String waitingPeriodEndAt, String finishedAt, String cancelledAt) {
    RevertWindow toDomain() {
        return new RevertWindow(WireActor.toDomain(actor), Timestamps.parse(waitingPeriodEndAt),
                Timestamps.parse(finishedAt), Timestamps.parse(cancelledAt));
    }
}
