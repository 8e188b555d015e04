package dev.cutover.deploy;

import java.time.Instant;
import java.util.List;

/**
 * The deployment of a deploy request ({@code DR.deployment}, also a deploy-queue entry). {@code deployable}
 * lives here rather than on the request; so do the lint errors and the revert window.
 */
public record Deployment(
        String id,
        DeploymentState state,
        int deployRequestNumber,
        boolean deployable,
        String deployCheckErrors,
        List<LintError> lintErrors,
        boolean instantDdlEligible,
        boolean instantDdl,
        boolean autoCutover,
        List<DeployOperation> operations,
        RevertWindow revertWindow,
        Actor deployer,
        Actor cutoverActor,
        Actor cancelledActor,
        boolean queuePaused,
        String queuePauseReason,
        boolean cutoverExpiring,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt) {
    public Deployment {
        state = state == null ? DeploymentState.UNKNOWN : state;
        deployCheckErrors = deployCheckErrors == null ? "" : deployCheckErrors;
        lintErrors = lintErrors == null ? List.of() : List.copyOf(lintErrors);
        operations = operations == null ? List.of() : List.copyOf(operations);
        queuePauseReason = queuePauseReason == null ? "" : queuePauseReason;
    }

    /** Mean progress over all operations (nulls count as 0), or null when nothing has started. */
    public Double overallProgress() {
        if (operations.isEmpty() || operations.stream().allMatch(o -> o.progressPercentage() == null)) {
            return null;
        }
        return operations.stream()
                .mapToDouble(o -> o.progressPercentage() == null ? 0.0 : o.progressPercentage())
                .average()
                .orElse(0.0);
    }
}
