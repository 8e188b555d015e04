package dev.cutover.render;

import dev.cutover.actions.ActionOutcome;

/** Turns an action's outcome into the sentence the person reads, through {@link Messages}. */
public final class OutcomeWords {
    private OutcomeWords() {}

    /** Blocks to go with the words: the "Link your PlanetScale account" button when a link is needed. */
    public static java.util.List<com.slack.api.model.block.LayoutBlock> blocks(ActionOutcome outcome) {
        String loginUrl = outcome instanceof ActionOutcome.NeedsLink needsLink ? needsLink.loginUrl()
                : outcome instanceof ActionOutcome.RefusedForPerson refused ? refused.loginUrl() : "";
        if (outcome instanceof ActionOutcome.NeedsLink || !loginUrl.isEmpty()) {
            java.util.List<com.slack.api.model.block.LayoutBlock> blocks = new java.util.ArrayList<>();
            blocks.add(com.slack.api.model.block.SectionBlock.builder().text(
                    com.slack.api.model.block.composition.MarkdownTextObject.builder().text(of(outcome)).build())
                    .build());
            blocks.addAll(Messages.linkButton(loginUrl));
            return blocks;
        }
        return java.util.List.of();
    }

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
        if (outcome instanceof ActionOutcome.NeedsLink needsLink) {
            return Messages.needsLink(needsLink.action(), needsLink.reason());
        }
        if (outcome instanceof ActionOutcome.RefusedForPerson refused) {
            return Messages.refusedForPerson(refused.action(), refused.ref(), refused.actorName(), refused.error());
        }
        ActionOutcome.Failed failed = (ActionOutcome.Failed) outcome;
        return Messages.failure(failed.action(), failed.ref().toString(), failed.ref().org(), failed.error(),
                failed.tokenSeesOrganization());
    }
}
