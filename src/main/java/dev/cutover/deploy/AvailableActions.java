package dev.cutover.deploy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one table deciding which actions a deploy request's state allows (planetscale-api.md §5.5). The card
 * renderer asks it which buttons to draw; the action runner asks it again about a freshly fetched request
 * before calling PlanetScale, because buttons go stale.
 */
public final class AvailableActions {
    private AvailableActions() {}

    /**
     * @param approvalRequired the database's {@code require_approval_for_deploy}; deploy is offered on an
     *     unapproved request only when approval is not required
     */
    public static Set<DeployAction> of(DeployRequest request, boolean approvalRequired) {
        if (!request.isOpen()) {
            return Collections.unmodifiableSet(EnumSet.noneOf(DeployAction.class));
        }
        EnumSet<DeployAction> actions = EnumSet.noneOf(DeployAction.class);
        // No default branch: a new DeploymentState will not compile until someone decides its actions.
        switch (request.deploymentState()) {
            case PENDING -> {
                actions.add(DeployAction.COMMENT);
                addApproveUnlessApproved(request, actions);
                actions.add(DeployAction.CLOSE);
            }
            case READY -> {
                actions.add(DeployAction.COMMENT);
                addApproveUnlessApproved(request, actions);
                for (DeployAction deploy : new DeployAction[] {DeployAction.DEPLOY, DeployAction.DEPLOY_INSTANT}) {
                    if (deployBlocker(request, approvalRequired, deploy) == null) {
                        actions.add(deploy);
                    }
                }
                actions.add(DeployAction.CLOSE);
                addMakeGatedIfAutomatic(request, actions);
            }
            case NO_CHANGES, ERROR -> {
                actions.add(DeployAction.COMMENT);
                actions.add(DeployAction.CLOSE);
            }
            // Cancelled cannot be deployed again, and §5.5 offers no review on it: only closing it is left.
            case COMPLETE_CANCEL, CANCELLED -> actions.add(DeployAction.CLOSE);
            // Cancelling before cutover leaves production untouched (PlanetScale: "cancel before cutover").
            case QUEUED, SUBMITTING, IN_PROGRESS -> {
                actions.add(DeployAction.CANCEL);
                // §5.5: auto-apply can be turned off while queued or running ("uncheck once running").
                if (request.deploymentState() != DeploymentState.SUBMITTING) {
                    addMakeGatedIfAutomatic(request, actions);
                }
            }
            case PENDING_CUTOVER -> {
                actions.add(DeployAction.APPLY);
                actions.add(DeployAction.CANCEL);
            }
            case COMPLETE_PENDING_REVERT -> {
                actions.add(DeployAction.REVERT);
                actions.add(DeployAction.SKIP_REVERT);
            }
            case COMPLETE_ERROR, COMPLETE_REVERT_ERROR -> actions.add(DeployAction.UNBLOCK);
            // §5.5: force-cutover only here, for a cutover stuck on metadata locks.
            case IN_PROGRESS_CUTOVER -> actions.add(DeployAction.FORCE_CUTOVER);
            case IN_PROGRESS_VSCHEMA, IN_PROGRESS_CANCEL, IN_PROGRESS_REVERT,
                    IN_PROGRESS_REVERT_VSCHEMA, COMPLETE_REVERT, COMPLETE, UNKNOWN -> {
                // Machinery is running or the outcome is final: nothing a person can do from here.
            }
        }
        return Collections.unmodifiableSet(actions);
    }

    /**
     * Why {@code request} cannot be deployed ({@code deploy} is DEPLOY or DEPLOY_INSTANT), or null when it can. No
     * default branch: a new state does not compile until someone decides whether it can be deployed.
     */
    public static DeployBlocker deployBlocker(DeployRequest request, boolean approvalRequired, DeployAction deploy) {
        return switch (request.deploymentState()) {
            case PENDING -> DeployBlocker.CHECKING;
            case NO_CHANGES -> DeployBlocker.NO_CHANGES;
            case ERROR -> DeployBlocker.CHECKS_FAILED;
            case READY -> {
                if (!request.isDeployable()) {
                    yield DeployBlocker.NOT_DEPLOYABLE;
                }
                if (deploy == DeployAction.DEPLOY_INSTANT && !request.isInstantEligible()) {
                    yield DeployBlocker.NOT_INSTANT_ELIGIBLE;
                }
                yield request.approved() || !approvalRequired ? null : DeployBlocker.NEEDS_APPROVAL;
            }
            case QUEUED, SUBMITTING, IN_PROGRESS, IN_PROGRESS_VSCHEMA, IN_PROGRESS_CUTOVER, IN_PROGRESS_CANCEL,
                    IN_PROGRESS_REVERT, IN_PROGRESS_REVERT_VSCHEMA -> DeployBlocker.ALREADY_UNDER_WAY;
            case PENDING_CUTOVER -> DeployBlocker.WAITING_FOR_CUTOVER;
            case COMPLETE_CANCEL, CANCELLED -> DeployBlocker.CANCELLED;
            case COMPLETE_PENDING_REVERT, COMPLETE, COMPLETE_REVERT, COMPLETE_ERROR, COMPLETE_REVERT_ERROR, UNKNOWN ->
                    DeployBlocker.FINISHED;
        };
    }

    /** Whether {@code action} applies to {@code request} right now. */
    public static boolean allows(DeployRequest request, boolean approvalRequired, DeployAction action) {
        return of(request, approvalRequired).contains(action);
    }

    /** Make gated: only while the deployment would cut over by itself (pending and ready have no deployment yet). */
    private static void addMakeGatedIfAutomatic(DeployRequest request, Set<DeployAction> actions) {
        if (request.deploymentIfPresent().map(Deployment::autoCutover).orElse(false)) {
            actions.add(DeployAction.MAKE_GATED);
        }
    }

    private static void addApproveUnlessApproved(DeployRequest request, Set<DeployAction> actions) {
        if (!request.approved()) {
            actions.add(DeployAction.APPROVE);
        }
    }
}
