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
     * PlanetScale failed or could not be reached. {@code tokenSeesOrganization} tells "no such deploy request"
     * from "the token cannot see it" on a 404 (null when not asked or unknown).
     */
    record Failed(DeployAction action, DeployRef ref, Exception error, Boolean tokenSeesOrganization)
            implements ActionOutcome {}
}
