package dev.cutover.planetscale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.Deployment;
import java.util.List;
import java.util.Objects;

/**
 * A Deployment (planetscale-api.md §4.2): {@code DR.deployment}, {@code GET …/deployment} and every
 * deploy-queue entry share this shape. {@code deployable} lives here, not on the request.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record WireDeployment(
        String id,
        String state,
        Integer deployRequestNumber,
        Boolean deployable,
        String deployCheckErrors,
        List<WireLintError> lintErrors,
        Boolean instantDdlEligible,
        Boolean instantDdl,
        Boolean autoCutover,
        List<WireDeployOperation> deployOperations,
        WireDeploymentRevert deploymentRevertRequest,
        WireActor actor,
        WireActor cutoverActor,
        WireActor cancelledActor,
        Boolean queuePaused,
        String queuePauseReason,
        Boolean cutoverExpiring,
        String queuedAt,
        String startedAt,
        String finishedAt) {
    Deployment toDomain() {
        return new Deployment(
                id,
                DeploymentState.fromWire(state),
                deployRequestNumber == null ? 0 : deployRequestNumber,
                Boolean.TRUE.equals(deployable),
                deployCheckErrors,
                lintErrors == null ? List.of() : lintErrors.stream().filter(Objects::nonNull).map(WireLintError::toDomain).toList(),
                Boolean.TRUE.equals(instantDdlEligible),
                Boolean.TRUE.equals(instantDdl),
                Boolean.TRUE.equals(autoCutover),
                deployOperations == null
                        ? List.of()
                        : deployOperations.stream().filter(Objects::nonNull).map(WireDeployOperation::toDomain).toList(),
                deploymentRevertRequest == null ? null : deploymentRevertRequest.toDomain(),
                WireActor.toDomain(actor),
                WireActor.toDomain(cutoverActor),
                WireActor.toDomain(cancelledActor),
                Boolean.TRUE.equals(queuePaused),
                queuePauseReason,
                Boolean.TRUE.equals(cutoverExpiring),
                Timestamps.parse(queuedAt),
                Timestamps.parse(startedAt),
                Timestamps.parse(finishedAt));
    }
}
