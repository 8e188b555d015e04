package dev.cutover.deploy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A PlanetScale deploy request: a development branch proposed for merging into another branch.
 * {@code deploymentState} (the top-level field) drives every decision; {@code deployment} may be null.
 */
public record DeployRequest(
        DeployRef ref,
        String id,
        Actor author,
        String branch,
        String intoBranch,
        boolean approved,
        RequestState state,
        DeploymentState deploymentState,
        Deployment deployment,
        String notes,
        String htmlUrl,
        int numComments,
        Instant createdAt,
        Instant updatedAt,
        Instant closedAt,
        Instant deployedAt,
        Actor closedBy) {
    public DeployRequest {
        Objects.requireNonNull(ref, "ref");
        id = id == null ? "" : id;
        author = author == null ? new Actor("", "") : author;
        branch = branch == null ? "" : branch;
        intoBranch = intoBranch == null ? "" : intoBranch;
        state = state == null ? RequestState.UNKNOWN : state;
        deploymentState = deploymentState == null ? DeploymentState.UNKNOWN : deploymentState;
        notes = notes == null ? "" : notes;
        htmlUrl = htmlUrl == null || htmlUrl.isBlank() ? defaultUrl(ref) : htmlUrl;
    }

    /** The dashboard URL PlanetScale uses for every deploy request. */
    public static String defaultUrl(DeployRef ref) {
        return "https://app.planetscale.com/" + ref.org() + "/" + ref.database() + "/deploy-requests/" + ref.number();
    }

    public boolean isOpen() {
        return state == RequestState.OPEN;
    }

    public Optional<Deployment> deploymentIfPresent() {
        return Optional.ofNullable(deployment);
    }

    public boolean isDeployable() {
        return deployment != null && deployment.deployable();
    }

    public boolean isInstantEligible() {
        return deployment != null && deployment.instantDdlEligible();
    }

    /** When the revert window closes, if this request is in it. */
    public Optional<Instant> revertWindowClosesAt() {
        if (deploymentState != DeploymentState.COMPLETE_PENDING_REVERT || deployment == null
                || deployment.revertWindow() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(deployment.revertWindow().closesAt());
    }
}
