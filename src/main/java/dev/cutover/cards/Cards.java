package dev.cutover.cards;

import dev.cutover.deploy.DeployRequest;
import dev.cutover.render.CardContext;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.render.Messages;
import dev.cutover.render.Mrkdwn;
import dev.cutover.store.ActionEntry;
import dev.cutover.store.ActionLog;
import java.util.List;

/**
 * The one place that gathers what a card shows besides the deploy request itself: the database's approval
 * setting and the deploy request's history of who did what through Cutover (from the store, so it survives later
 * webhooks and restarts). Built once in {@code app}.
 */
public final class Cards {
    private final ApprovalSettings approvals;
    private final ActionLog actions;

    public Cards(ApprovalSettings approvals, ActionLog actions) {
        this.approvals = approvals;
        this.actions = actions;
    }

    /** The full card, with the buttons its state allows. */
    public DeployRequestCard.Card card(DeployRequest request) {
        return DeployRequestCard.render(request, context(request));
    }

    /** A list of deploy requests, each with a Show button. */
    public DeployRequestCard.Card list(List<DeployRequest> requests, String title) {
        return DeployRequestCard.list(requests, title, CardContext.of(false));
    }

    private CardContext context(DeployRequest request) {
        List<String> history = actions.recent(request.ref(), CardContext.HISTORY_SHOWN).stream()
                .map(Cards::historyLine).toList();
        return new CardContext(approvals.approvalRequired(request.ref().database()), history, true);
    }

    /** "✅ @alice approved shop#7 · 14:02": what was done, by whom, when. */
    static String historyLine(ActionEntry entry) {
        return Messages.done(entry.action(), entry.ref(), entry.slackUserId()) + " · " + Mrkdwn.date(entry.at());
    }
}
