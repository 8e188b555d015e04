package dev.cutover.render;

import dev.cutover.actions.ActionOutcome;

/** Turns an action's outcome into the sentence the person reads, through {@link Messages}. */
public final class OutcomeWords {
    private OutcomeWords() {}

    public static String of(ActionOutcome outcome) {
        if (outcome instanceof ActionOutcome.Done done) {
            return Messages.done(done.action(), done.ref(), "");
        }
        if (outcome instanceof ActionOutcome.Denied denied) {
            return Messages.denied(denied.action(), denied.reason());
        }
        if (outcome instanceof ActionOutcome.NotApplicable notApplicable) {
            return Messages.notApplicable(notApplicable.action(), notApplicable.request());
        }
        ActionOutcome.Failed failed = (ActionOutcome.Failed) outcome;
        return Messages.failure(failed.action(), failed.ref().toString(), failed.ref().org(), failed.error(),
                failed.tokenSeesOrganization());
    }
}
