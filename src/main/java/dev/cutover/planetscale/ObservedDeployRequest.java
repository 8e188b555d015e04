package dev.cutover.planetscale;

import dev.cutover.deploy.DeployRequest;
import java.util.Objects;

/**
 * A deploy request as PlanetScale's API returned it: the domain record to compare, and the exact JSON to record in
 * the journal, so a change reconciliation found is replayed like a webhook's resource.
 */
public record ObservedDeployRequest(DeployRequest request, String json, String updatedAtText) {
    public ObservedDeployRequest {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(json, "json");
        updatedAtText = updatedAtText == null ? "" : updatedAtText;
    }
}
