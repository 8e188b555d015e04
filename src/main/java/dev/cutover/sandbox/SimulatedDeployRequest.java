package dev.cutover.sandbox;

import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.LintError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A deploy request with its one deployment, as the simulator holds it. Mutable; every field is guarded by
 * the organization's lock and only {@link SimulatedOrganization} changes it.
 */
final class SimulatedDeployRequest {
    /** A review as PlanetScale records it. */
    record SimulatedReview(String id, String state, String body, Principal actor, Instant createdAt) {}

    final SimulatedDatabase database;
    final int number;
    final String id;
    final String branch;
    final String branchId;
    final String intoBranch;
    final String notes;
    final Principal author;
    /** Not final only so seeded history can be back-dated. */
    Instant createdAt;
    final List<SimulatedOperation> operations;
    final List<LintError> lintErrors;
    final List<SimulatedReview> reviews = new ArrayList<>();
    final boolean instantEligible;
    final boolean failsWhileRunning;
    final boolean stuckAtCutover;
    Instant forceCutoverRequestedAt;
    final String deploymentId;
    final String revertId;

    boolean open = true;
    boolean approved;
    boolean autoCutover;
    boolean instantDdl;
    int numComments;
    DeploymentState deploymentState = DeploymentState.PENDING;
    Instant updatedAt;
    Instant closedAt;
    Instant deployedAt;
    Principal closedBy;

    Principal deployer;
    Principal cutoverActor;
    Principal cancelledActor;
    /** Position in the deploy queue of the target branch, set when queued. */
    long queueSequence;
    Instant queuedAt;
    Instant startedAt;
    Instant readyToCutoverAt;
    Instant cutoverAt;
    Instant finishedAt;

    Principal revertActor;
    Instant revertWindowEndsAt;
    Instant revertFinishedAt;
    Instant revertCancelledAt;
    Instant revertUpdatedAt;

    /** When {@code tick()} next moves this request on; null when it waits on a person or is finished. */
    Instant nextStepAt;

    SimulatedDeployRequest(SimulatedDatabase database, int number, String id, String branchId, String deploymentId,
            String revertId, DeployRequestSeed seed, List<SimulatedOperation> operations, Instant now) {
        this.database = database;
        this.number = number;
        this.id = id;
        this.branch = seed.branch();
        this.branchId = branchId;
        this.intoBranch = seed.intoBranch();
        this.notes = seed.notes();
        this.author = Principal.user(seed.author());
        this.createdAt = now;
        this.updatedAt = now;
        this.operations = List.copyOf(operations);
        this.lintErrors = seed.lintErrors();
        this.instantEligible = seed.instantEligible();
        this.failsWhileRunning = seed.failsWhileRunning();
        this.stuckAtCutover = seed.hangsAtCutover();
        this.autoCutover = seed.autoCutover();
        this.approved = seed.approved();
        this.deploymentId = deploymentId;
        this.revertId = revertId;
    }

    /** Holds a place in the target branch's deploy queue (planetscale-api.md §5.5, one deploy at a time). */
    boolean occupiesDeployQueue() {
        return deploymentState.isRunning() || deploymentState.blocksQueue();
    }

    boolean sameLaneAs(SimulatedDeployRequest other) {
        return database == other.database && intoBranch.equals(other.intoBranch);
    }

    boolean isDeployable() {
        return open && deploymentState == DeploymentState.READY && lintErrors.isEmpty();
    }

    void close(Principal by, Instant now) {
        open = false;
        closedAt = now;
        closedBy = by;
    }

    void moveOperations(String state, Double progress, Double eta, Instant now) {
        for (SimulatedOperation operation : operations) {
            operation.moveTo(state, progress, eta, now);
        }
    }

    void moveRevertOperations(String state, Instant now) {
        for (SimulatedOperation operation : operations) {
            operation.revertState = state;
        }
        revertUpdatedAt = now;
    }
}
