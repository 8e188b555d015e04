package dev.cutover.render;

import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.LintError;
import dev.cutover.deploy.RequestState;
import dev.cutover.deploy.RevertWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Deploy requests for tests: a realistic default ({@code shop#7}, ready to deploy) that each test bends. */
final class SampleDeployRequests {
    static final Instant UPDATED_AT = Instant.parse("2026-11-21T12:00:00Z");
    static final String HTML_URL = "https://app.planetscale.com/acme/shop/deploy-requests/7";

    String org = "acme";
    String database = "shop";
    int number = 7;
    Actor author = new Actor("u1", "Jane Doe");
    String branch = "add-orders-index";
    String intoBranch = "main";
    boolean approved = true;
    RequestState state = RequestState.OPEN;
    DeploymentState deploymentState = DeploymentState.READY;
    boolean deploymentPresent = true;
    boolean deployable = true;
    String deployCheckErrors = "";
    List<LintError> lintErrors = new ArrayList<>();
    boolean instantEligible = false;
    boolean autoCutover = false;
    List<DeployOperation> operations = new ArrayList<>(List.of(
            operation("orders", "ALTER TABLE `orders` ADD INDEX `idx_created` (`created_at`)", false, null)));
    Instant revertWindowClosesAt = null;
    Actor deployer = new Actor("u2", "Sam Deployer");
    Actor cutoverActor = new Actor("u3", "Cut Over");
    boolean queuePaused = false;
    String queuePauseReason = "";
    boolean cutoverExpiring = false;
    String notes = "Adds an index for the orders page.";
    String htmlUrl = HTML_URL;
    int numComments = 0;
    Instant updatedAt = UPDATED_AT;
    Instant closedAt = null;
    Instant deployedAt = null;
    Actor closedBy = null;

    static SampleDeployRequests sample() {
        return new SampleDeployRequests();
    }

    /** Open unless the state means PlanetScale closed the request (complete, complete_revert). */
    static DeployRequest inState(DeploymentState deploymentState) {
        SampleDeployRequests sample = sample();
        sample.deploymentState = deploymentState;
        if (deploymentState == DeploymentState.COMPLETE || deploymentState == DeploymentState.COMPLETE_REVERT) {
            sample.state = RequestState.CLOSED;
        }
        if (deploymentState == DeploymentState.COMPLETE_PENDING_REVERT) {
            sample.revertWindowClosesAt = Instant.parse("2026-11-21T12:30:00Z");
        }
        return sample.build();
    }

    static DeployOperation operation(String table, String ddl, boolean canDropData, Double progress) {
        return new DeployOperation("shop", table, "ALTER", ddl, "pending", progress, null, canDropData, "");
    }

    static LintError lintError(String table, String description) {
        return new LintError("NO_UNIQUE_KEY", "shop", table, description, null);
    }

    DeployRequest build() {
        Deployment deployment = !deploymentPresent ? null : new Deployment("d1", deploymentState, number, deployable,
                deployCheckErrors, lintErrors, instantEligible, false, autoCutover, operations,
                new RevertWindow(new Actor("u4", "Rev Erter"), revertWindowClosesAt, null, null),
                deployer, cutoverActor, null, queuePaused, queuePauseReason, cutoverExpiring,
                UPDATED_AT, UPDATED_AT, null);
        return new DeployRequest(new DeployRef(org, database, number), "dr1", author, branch, intoBranch, approved,
                state, deploymentState, deployment, notes, htmlUrl, numComments, UPDATED_AT.minusSeconds(3600),
                updatedAt, closedAt, deployedAt, closedBy);
    }
}
