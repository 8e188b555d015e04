package dev.cutover.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.block.LayoutBlock;
import dev.cutover.actions.ActionOutcome;
import dev.cutover.actions.DeployRequestActions;
import dev.cutover.actions.SlackUser;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.planetscale.CachingPlanetScaleApi;
import dev.cutover.planetscale.PlanetScaleException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every button on a Cutover card. One pattern catches every {@code cutover:} action id (old cards included);
 * the click is acked at once and carried out on the executor. The deploy request acted on is the one the
 * button's value names, authorised as such — never what the card happened to show.
 */
public final class CardButtons {
    public static final Pattern ACTION_IDS = Pattern.compile("^" + Pattern.quote(DeployAction.ACTION_ID_PREFIX) + ".*");
    static final int HISTORY_LINES = 5;
    private static final Logger log = LoggerFactory.getLogger(CardButtons.class);

    private final CachingPlanetScaleApi api;
    private final DeployRequestActions actions;
    private final SlackPoster poster;
    private final Executor executor;
    private final Executor busyReplies;
    private final Replies replies;
    private final boolean sandbox;

    /**
     * @param executor runs each click's work; may reject when full
     * @param busyReplies sends the "busy" answer when {@code executor} rejects; bounded too, and may reject
     */
    public CardButtons(CachingPlanetScaleApi api, DeployRequestActions actions, SlackPoster poster, Executor executor,
            Executor busyReplies, boolean sandbox) {
        this.api = api;
        this.actions = actions;
        this.poster = poster;
        this.executor = executor;
        this.busyReplies = busyReplies;
        this.sandbox = sandbox;
        this.replies = new Replies(poster, sandbox);
    }

    /** The Bolt listener. */
    public Response handle(BlockActionRequest request, ActionContext context) {
        BlockActionPayload payload = request.getPayload();
        try {
            executor.execute(() -> click(payload));
        } catch (RejectedExecutionException e) {
            // Full; say so without holding up the ack (Slack may be slow too), on a bounded path of its own.
            try {
                busyReplies.execute(() -> replies.tell(payload.getResponseUrl(), Messages.busy()));
            } catch (RejectedExecutionException alsoFull) {
                log.warn("Too busy to even answer a click from {}", payload.getUser().getId());
            }
        }
        return context.ack();
    }

    private void click(BlockActionPayload payload) {
        if (payload.getActions() == null || payload.getActions().isEmpty()) {
            return;
        }
        BlockActionPayload.Action clicked = payload.getActions().get(0);
        String actionId = clicked.getActionId();
        if (DeployRequestCard.OPEN_ACTION_ID.equals(actionId)) {
            return; // a link button: Slack opened the URL, nothing to do
        }
        DeployRef ref;
        try {
            ref = DeployRef.fromButtonValue(clicked.getValue());
        } catch (IllegalArgumentException e) {
            replies.tell(payload.getResponseUrl(), Messages.brokenButton());
            return;
        }
        if (!ref.org().equals(api.org())) {
            replies.tell(payload.getResponseUrl(), Messages.otherOrganization(api.org()));
            return;
        }
        try {
            if (DeployRequestCard.REFRESH_ACTION_ID.equals(actionId)) {
                refresh(payload, ref);
            } else if (DeployRequestCard.SHOW_ACTION_ID.equals(actionId)) {
                DeployRequest request = api.getDeployRequest(ref);
                replies.card(payload.getResponseUrl(), DeployRequestCard.render(request,
                        context(ref, List.of())), false, false);
            } else {
                Optional<DeployAction> action = DeployAction.fromActionId(actionId);
                if (action.isEmpty()) {
                    replies.tell(payload.getResponseUrl(), Messages.brokenButton());
                    return;
                }
                act(payload, action.get(), ref);
            }
        } catch (PlanetScaleException | IOException e) {
            replies.tell(payload.getResponseUrl(), Messages.failure(null, ref.toString(), api.org(), e,
                    e instanceof PlanetScaleException p && p.isNotFound() ? actions.tokenSeesOrganization() : null));
        } catch (RuntimeException e) {
            log.error("Button {} on {} failed for {}", actionId, ref, payload.getUser().getId(), e);
            replies.tell(payload.getResponseUrl(), Messages.failure(null, ref.toString(), e, null));
        }
    }

    private void act(BlockActionPayload payload, DeployAction action, DeployRef ref)
            throws PlanetScaleException, IOException {
        BlockActionPayload.User user = payload.getUser();
        SlackUser slackUser = new SlackUser(user.getId(), user.getUsername() != null ? user.getUsername() : user.getName());
        ActionOutcome outcome = actions.perform(slackUser, action, ref, "");
        List<String> history = DeployRequestCard.historyOf(clickedBlocks(payload));
        if (outcome instanceof ActionOutcome.Done done) {
            history = append(history, Messages.done(action, ref, slackUser.id()));
            replaceCard(payload, DeployRequestCard.render(done.request(), context(ref, history)));
        } else if (outcome instanceof ActionOutcome.NotApplicable notApplicable) {
            // The card was stale: show the truth in place, and tell the clicker why nothing happened.
            replaceCard(payload, DeployRequestCard.render(notApplicable.request(), context(ref, history)));
            replies.tell(payload.getResponseUrl(), OutcomeWords.of(outcome));
        } else {
            replies.tell(payload.getResponseUrl(), OutcomeWords.of(outcome));
        }
    }

    private void refresh(BlockActionPayload payload, DeployRef ref) throws PlanetScaleException, IOException {
        DeployRequest request = api.fresh(ref);
        replaceCard(payload, DeployRequestCard.render(request,
                context(ref, DeployRequestCard.historyOf(clickedBlocks(payload)))));
    }

    /**
     * Updates the clicked card in place: {@code chat.update} for a channel message the bot posted, the
     * response_url for ephemeral ones (chat.update cannot edit those) or when chat.update is refused.
     */
    private void replaceCard(BlockActionPayload payload, DeployRequestCard.Card card) {
        var container = payload.getContainer();
        boolean ephemeral = container == null || container.isEphemeral();
        String channel = payload.getChannel() != null ? payload.getChannel().getId()
                : container != null ? container.getChannelId() : null;
        String ts = container != null ? container.getMessageTs() : null;
        if (!ephemeral && channel != null && ts != null) {
            try {
                poster.update(channel, ts, card.text(), card.blocks());
                return;
            } catch (SlackPostException e) {
                log.info("chat.update of {} {} refused ({}); replacing through response_url", channel, ts, e.error());
            }
        }
        replies.card(payload.getResponseUrl(), card, false, true);
    }

    private CardContext context(DeployRef ref, List<String> history) {
        return new CardContext(actions.approvalRequired(ref.database()), sandbox, history, true);
    }

    private static List<LayoutBlock> clickedBlocks(BlockActionPayload payload) {
        return payload.getMessage() != null && payload.getMessage().getBlocks() != null
                ? payload.getMessage().getBlocks() : List.of();
    }

    private static List<String> append(List<String> history, String line) {
        List<String> lines = new ArrayList<>(history);
        lines.add(line);
        return lines.size() > HISTORY_LINES ? lines.subList(lines.size() - HISTORY_LINES, lines.size()) : lines;
    }
}
