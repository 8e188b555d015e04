package dev.cutover.deploy;

/**
 * Why a deploy request cannot be deployed right now, decided by {@link AvailableActions} (the same table that decides
 * whether a Deploy button is drawn), so the explanation a person reads can never disagree with the buttons.
 */
public enum DeployBlocker {
    /** PlanetScale is still running its deploy checks. */
    CHECKING,
    /** The branch has no schema changes. */
    NO_CHANGES,
    /** The deploy checks failed (lint errors, conflicts). */
    CHECKS_FAILED,
    /** Checks passed, but PlanetScale says it is not deployable yet. */
    NOT_DEPLOYABLE,
    /** An instant deploy was asked for, and PlanetScale does not allow one for these changes. */
    NOT_INSTANT_ELIGIBLE,
    /** The database requires an approval, and there is none. */
    NEEDS_APPROVAL,
    /** A deploy (or its cancel or revert) is already queued or running. */
    ALREADY_UNDER_WAY,
    /** Deployed and waiting for its gated cutover. */
    WAITING_FOR_CUTOVER,
    /** Cancelled: it cannot be deployed again. */
    CANCELLED,
    /** The deploy is over (deployed, reverted, failed) or its state is unknown. */
    FINISHED
}
