package dev.cutover.actions;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;

/** What became of an action; each case carries what the Slack side needs to answer the person. */
public sealed interface ActionOutcome {
    DeployRef ref();

    /** PlanetScale accepted the action; {@code request} is the deploy request as it is now. */
    record Done(DeployAction action, DeployRef ref, DeployRequest request) implements ActionOutcome {}

    /** The policy (or the self-approval rule) stopped it; nothing reached PlanetScale. */
    record Denied(DeployAction action, DeployRef ref, String reason) implements ActionOutcome {}

    /** The deploy request's current state does not allow it (a stale card, a double click). */
    record NotApplicable(DeployAction action, DeployRef ref, DeployRequest request) implements ActionOutcome {}

    /**
     * The person must link their PlanetScale account (again) first; nothing reached PlanetScale.
     *
     * @param reason a {@code identity.Credential.Reason} name
     * @param loginUrl a fresh login link for the button, empty when none could be made
     */
    record NeedsLink(DeployAction action, DeployRef ref, String reason, String loginUrl) implements ActionOutcome {}

    /**
     * PlanetScale refused the person's own token (their permissions or PlanetScale's rules said no).
     *
     * @param loginUrl a login link when the token itself was rejected (they must link again), else ""
     */
    record RefusedForPerson(DeployAction action, DeployRef ref, String actorName,
            dev.cutover.planetscale.PlanetScaleException error, String loginUrl) implements ActionOutcome {}

    /**
     * PlanetScale failed or could not be reached. {@code tokenSeesOrganization} tells "no such deploy request"
     * from "the token cannot see it" on a 404 (null when not asked or unknown).
     */
    record Failed(DeployAction action, DeployRef ref, Exception error, Boolean tokenSeesOrganization)
            implements ActionOutcome {}
}
