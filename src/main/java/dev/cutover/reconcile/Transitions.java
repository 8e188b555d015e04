package dev.cutover.reconcile;

import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.EventType;

/** Which event tells a deploy request's current state: the webhook PlanetScale would have sent for it, if any. */
final class Transitions {
    private Transitions() {}

    /**
     * The event whose arrival would leave a card showing {@code request}. States PlanetScale sends no webhook for
     * (ready, no changes, cancelled, …) are {@link EventType#RECONCILED_CHANGED}. No default: a new state does not
     * compile until someone decides which event tells it.
     */
    static EventType eventFor(DeployRequest request) {
        if (!request.isOpen() && request.state() != dev.cutover.deploy.RequestState.UNKNOWN) {
            return EventType.DEPLOY_REQUEST_CLOSED;
        }
        return switch (request.deploymentState()) {
            case QUEUED -> EventType.DEPLOY_REQUEST_QUEUED;
            case SUBMITTING, IN_PROGRESS, IN_PROGRESS_VSCHEMA, IN_PROGRESS_CUTOVER -> EventType.DEPLOY_REQUEST_IN_PROGRESS;
            case PENDING_CUTOVER -> EventType.DEPLOY_REQUEST_PENDING_CUTOVER;
            case COMPLETE_PENDING_REVERT -> EventType.DEPLOY_REQUEST_SCHEMA_APPLIED;
            case ERROR, COMPLETE_ERROR -> EventType.DEPLOY_REQUEST_ERRORED;
            case IN_PROGRESS_REVERT, IN_PROGRESS_REVERT_VSCHEMA -> EventType.DEPLOY_REQUEST_REVERTED;
            case COMPLETE, COMPLETE_REVERT -> EventType.DEPLOY_REQUEST_CLOSED;
            case PENDING, READY, NO_CHANGES, IN_PROGRESS_CANCEL, COMPLETE_CANCEL, CANCELLED, COMPLETE_REVERT_ERROR,
                    UNKNOWN -> EventType.RECONCILED_CHANGED;
        };
    }
}
