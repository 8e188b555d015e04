package dev.cutover.commands;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.cutover.actions.ActionOutcome;
import dev.cutover.actions.DeployRequestActions;
import dev.cutover.actions.SlackUser;
import dev.cutover.cards.CardWriter;
import dev.cutover.cards.Cards;
import dev.cutover.cards.Origin;
import dev.cutover.confirm.Confirmations;
import dev.cutover.confirm.SecondPerson;
import dev.cutover.confirm.TypedConfirm;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.notify.Routing;
import dev.cutover.planetscale.CachingPlanetScaleApi;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.render.Messages;
import dev.cutover.render.OutcomeWords;
import dev.cutover.slack.SlackPoster;
import java.io.IOException;
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
    /**
     * Every {@code cutover:} action id of a card (old cards included), but not the admin buttons of other listeners
     * ({@code cutover:webhook_…}): Bolt gives a click to one matching listener in no promised order, so the patterns
     * must not overlap.
     */
    public static final Pattern ACTION_IDS = Pattern.compile("^" + Pattern.quote(DeployAction.ACTION_ID_PREFIX)
            + "(?!webhook_).*");
    private static final Logger log = LoggerFactory.getLogger(CardButtons.class);

    private final CachingPlanetScaleApi api;
    private final DeployRequestActions actions;
    private final CardWriter writer;
    private final Cards cards;
    private final Executor executor;
    private final Executor busyReplies;
    private final Replies replies;
    private final Confirmations confirmations;
    private final SecondPerson secondPerson;
    private final Routing routing;

    /**
     * @param executor runs each click's work; may reject when full
     * @param busyReplies sends the "busy" answer when {@code executor} rejects; bounded too, and may reject
     */
    public CardButtons(CachingPlanetScaleApi api, DeployRequestActions actions, CardWriter writer, Cards cards,
            SlackPoster poster, Executor executor, Executor busyReplies, Confirmations confirmations,
            SecondPerson secondPerson, Routing routing) {
        this.confirmations = confirmations;
        this.secondPerson = secondPerson;
        this.routing = routing;
        this.api = api;
        this.actions = actions;
        this.writer = writer;
        this.cards = cards;
        this.executor = executor;
        this.busyReplies = busyReplies;
        this.replies = new Replies(poster);
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
        if (SecondPerson.ACTION_ID.equals(actionId)) {
            secondPerson.pressed(slackUser(payload), clicked.getValue(), origin(payload));
            return;
        }
        Optional<TypedConfirm.Step> step = TypedConfirm.parse(actionId, clicked.getValue());
        if (step.isPresent()) {
            typedConfirmed(payload, step.get());
            return;
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
                writer.show(api.fresh(ref), origin(payload), Optional.empty());
            } else if (DeployRequestCard.SHOW_ACTION_ID.equals(actionId)) {
                replies.card(payload.getResponseUrl(), cards.card(api.getDeployRequest(ref)), false, false);
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

    /** A card's write button: its dialog (if any) was the confirmation; the risk may still ask for a modal. */
    private void act(BlockActionPayload payload, DeployAction action, DeployRef ref) {
        confirmations.pressed(new Confirmations.Press(slackUser(payload), action, ref, "", payload.getTriggerId(),
                origin(payload)));
    }

    /**
     * The confirm step of a typed write: its answer is recorded as the typed command's would have been (in the
     * thread when the channel follows the database).
     */
    private void typedConfirmed(BlockActionPayload payload, TypedConfirm.Step step) {
        if (!step.ref().org().equals(api.org())) {
            replies.tell(payload.getResponseUrl(), Messages.otherOrganization(api.org()));
            return;
        }
        String channel = origin(payload).channel();
        Origin origin = new Origin.Command(channel, payload.getResponseUrl(), step.action(),
                channel != null && routing.follows(channel, step.ref().database()));
        confirmations.pressed(new Confirmations.Press(slackUser(payload), step.action(), step.ref(), step.text(),
                payload.getTriggerId(), origin));
    }

    private static SlackUser slackUser(BlockActionPayload payload) {
        BlockActionPayload.User user = payload.getUser();
        return new SlackUser(user.getId(), user.getUsername() != null ? user.getUsername() : user.getName(),
                user.getTeamId() != null ? user.getTeamId() : payload.getTeam() != null ? payload.getTeam().getId() : "");
    }

    /** The clicked message: a channel message the bot can update, or an ephemeral one only response_url reaches. */
    private static Origin.Click origin(BlockActionPayload payload) {
        var container = payload.getContainer();
        boolean ephemeral = container == null || container.isEphemeral();
        String channel = payload.getChannel() != null ? payload.getChannel().getId()
                : container != null ? container.getChannelId() : null;
        String ts = container != null ? container.getMessageTs() : null;
        return new Origin.Click(channel, ts, ephemeral, payload.getResponseUrl());
    }
}
