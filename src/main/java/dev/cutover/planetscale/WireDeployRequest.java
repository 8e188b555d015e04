package dev.cutover.planetscale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.RequestState;

/**
 * A DeployRequest (planetscale-api.md §4.1): the body of {@code GET …/deploy-requests/{number}}, of every
 * action's answer, and the {@code resource} of {@code deploy_request.*} webhooks.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record WireDeployRequest(
        String id,
        Integer number,
        WireActor actor,
        WireActor closedBy,
        String branch,
        String intoBranch,
        Boolean approved,
        String state,
        String deploymentState,
        WireDeployment deployment,
        Integer numComments,
        String htmlUrl,
        String notes,
        String createdAt,
        String updatedAt,
        String closedAt,
        String deployedAt) {
    /**
     * @param database the database the request belongs to: the request path's, or the webhook envelope's
     *     (the object itself does not name it)
     * @throws IllegalArgumentException when {@code number} is missing or the names are not PlanetScale names
     */
    DeployRequest toDomain(String org, String database) {
        if (number == null) {
            throw new IllegalArgumentException("deploy request without a number");
        }
        return new DeployRequest(
                new DeployRef(org, database, number),
                id,
                WireActor.toDomain(actor),
                branch,
                intoBranch,
                Boolean.TRUE.equals(approved),
                RequestState.fromWire(state),
                effectiveDeploymentState(),
                deployment == null ? null : deployment.toDomain(),
                notes,
                htmlUrl,
                numComments == null ? 0 : numComments,
                Timestamps.parse(createdAt),
                Timestamps.parse(updatedAt),
                Timestamps.parse(closedAt),
                Timestamps.parse(deployedAt),
                WireActor.toDomain(closedBy));
    }

    /**
     * The top-level {@code deployment_state}; {@code deployment.state} only when the top-level field is
     * missing, because PlanetScale's own examples show the two disagreeing (planetscale-api.md §5.3).
     */
    private DeploymentState effectiveDeploymentState() {
        if (deploymentState != null) {
            return DeploymentState.fromWire(deploymentState);
        }
        return DeploymentState.fromWire(deployment == null ? null : deployment.state());
    }
}
