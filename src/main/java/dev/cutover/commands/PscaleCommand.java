package dev.cutover.commands;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import dev.cutover.actions.ActionOutcome;
import dev.cutover.actions.DeployRequestActions;
import dev.cutover.actions.SlackUser;
import dev.cutover.cards.CardWriter;
import dev.cutover.cards.Cards;
import dev.cutover.cards.Origin;
import dev.cutover.confirm.TypedConfirm;
import dev.cutover.deploy.AvailableActions;
import dev.cutover.deploy.Database;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import dev.cutover.doctor.Report;
import dev.cutover.notify.Routing;
import dev.cutover.planetscale.CachingPlanetScaleApi;
import dev.cutover.planetscale.DeployRequestFilter;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.policy.Decision;
import dev.cutover.policy.GroupMembers;
import dev.cutover.policy.Policy;
import dev.cutover.reconcile.WebhookKeeper;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.render.Messages;
import dev.cutover.render.OutcomeWords;
import dev.cutover.slack.SandboxMarker;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.Store;
import dev.cutover.store.Subscription;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /pscale} slash command. Parsing and help are answered in the ack itself; everything that talks to
 * PlanetScale or Slack is acked at once and finished on the executor, answering through {@code response_url},
 * so Slack's 3-second limit holds however slow PlanetScale is.
 */
public final class PscaleCommand {
    public static final String COMMAND = "/pscale";
    static final int LIST_LIMIT = 50;
    private static final Logger log = LoggerFactory.getLogger(PscaleCommand.class);

    private final CachingPlanetScaleApi api;
    private final DeployRequestActions actions;
    private final Policy policy;
    private final GroupMembers groups;
    private final Store store;
    private final SlackPoster poster;
    private final Executor executor;
    private final Clock clock;
    private final Replies replies;
    private final ChannelDefaults defaults;
    private final CardWriter writer;
    private final Cards cards;
    private final SandboxMarker marker;
    private final WebhookKeeper webhooks;
    private final Supplier<Report> doctor;
    /** Which channels follow a database: a typed write there is answered privately, the thread is the record. */
    private final Routing routing;
    private final IdentityCommands identity;

    /** @param marker marks the answers given in the ack itself (everything else is marked by the poster) */
    public PscaleCommand(CachingPlanetScaleApi api, DeployRequestActions actions, Policy policy, GroupMembers groups,
            Store store, SlackPoster poster, CardWriter writer, Cards cards, Executor executor, Clock clock,
            SandboxMarker marker, Routing routing, WebhookKeeper webhooks, Supplier<Report> doctor,
            IdentityCommands identity) {
        this.identity = identity;
        this.routing = routing;
        this.webhooks = webhooks;
        this.doctor = doctor;
        this.api = api;
        this.actions = actions;
        this.policy = policy;
        this.groups = groups;
        this.store = store;
        this.poster = poster;
        this.executor = executor;
        this.clock = clock;
        this.writer = writer;
        this.cards = cards;
        this.marker = marker;
        this.replies = new Replies(poster);
        this.defaults = new ChannelDefaults(store.subscriptions());
    }

    /** The Bolt listener. */
    public Response handle(SlashCommandRequest request, SlashCommandContext context) {
        SlashCommandPayload payload = request.getPayload();
        ParsedCommand command = CommandParser.parse(payload.getText(), api.org());
        if (command instanceof ParsedCommand.Help) {
            return context.ack(marker.text(Messages.help()));
        }
        if (command instanceof ParsedCommand.Usage usage) {
            // What was wrong, then how to say it right.
            return context.ack(marker.text(usage.message() + "\n" + Messages.usage(usage.subcommand())));
        }
        try {
            executor.execute(() -> run(command, payload));
        } catch (RejectedExecutionException e) {
            return context.ack(marker.text(Messages.busy()));
        }
        return context.ack();
    }

    private void run(ParsedCommand command, SlashCommandPayload payload) {
        String responseUrl = payload.getResponseUrl();
        try {
            if (command instanceof ParsedCommand.ListRequests list) {
                list(list, payload);
            } else if (command instanceof ParsedCommand.Show show) {
                resolve(show.target(), payload).ifPresent(ref -> show(ref, responseUrl));
            } else if (command instanceof ParsedCommand.Queue queue) {
                queue(queue, payload);
            } else if (command instanceof ParsedCommand.Act act) {
                resolve(act.target(), payload).ifPresent(ref -> act(act, ref, payload));
            } else if (command instanceof ParsedCommand.Subscribe subscribe) {
                subscribe(subscribe, payload);
            } else if (command instanceof ParsedCommand.Unsubscribe unsubscribe) {
                unsubscribe(unsubscribe, payload);
            } else if (command instanceof ParsedCommand.Subscriptions) {
                subscriptions(payload);
            } else if (command instanceof ParsedCommand.WebhooksSetup setup) {
                webhooksSetup(setup, payload);
            } else if (command instanceof ParsedCommand.Doctor) {
                doctor(payload);
            } else {
                identity.handle(command, payload);
            }
        } catch (RuntimeException e) {
            log.error("/pscale {} failed for {}", command.getClass().getSimpleName(), payload.getUserId(), e);
            replies.tell(responseUrl, Messages.failure(null, "that command", e, null));
        }
    }

    private void list(ParsedCommand.ListRequests list, SlashCommandPayload payload) {
        Optional<String> database = list.database().or(() -> defaults.databaseFor(payload.getChannelId()));
        DeployRequestFilter filter = switch (list.state()) {
            case OPEN -> DeployRequestFilter.OPEN;
            case CLOSED -> DeployRequestFilter.CLOSED;
            case ALL -> DeployRequestFilter.ALL;
        };
        String stateWord = list.state().name().toLowerCase(Locale.ROOT);
        try {
            List<DeployRequest> found = new ArrayList<>();
            String title;
            if (database.isPresent()) {
                found.addAll(api.listDeployRequests(database.get(), filter, LIST_LIMIT));
                title = capitalize(stateWord) + " deploy requests in " + database.get();
            } else {
                for (Database db : api.listDatabases()) {
                    if (found.size() >= LIST_LIMIT) {
                        break;
                    }
                    found.addAll(api.listDeployRequests(db.name(), filter, LIST_LIMIT - found.size()));
                }
                title = capitalize(stateWord) + " deploy requests in " + api.org();
            }
            replies.card(payload.getResponseUrl(), cards.list(found, title), false, false);
        } catch (PlanetScaleException | IOException e) {
            replies.tell(payload.getResponseUrl(), database.isPresent() ? failure(database.get(), e)
                    : Messages.failure(null, "databases", api.org(), e, tokenSeesOrganization(e)));
        }
    }

    private void show(DeployRef ref, String responseUrl) {
        try {
            DeployRequest request = api.getDeployRequest(ref);
            DeployRequestCard.Card card = cards.card(request);
            // The author's actor id, which the policy file's people needs (display names can be renamed around).
            List<LayoutBlock> blocks = new ArrayList<>(card.blocks());
            blocks.add(ContextBlock.builder().elements(List.of(MarkdownTextObject.builder()
                    .text(Messages.authorActorId(request.author())).build())).build());
            replies.card(responseUrl, new DeployRequestCard.Card(card.text(), blocks), false, false);
        } catch (PlanetScaleException | IOException e) {
            replies.tell(responseUrl, failure(ref.toString(), e));
        }
    }

    private void queue(ParsedCommand.Queue queue, SlashCommandPayload payload) {
        Optional<String> database = queue.database().or(() -> defaults.databaseFor(payload.getChannelId()));
        if (database.isEmpty()) {
            replies.tell(payload.getResponseUrl(), Messages.whichDatabase("queue", defaults.databasesOf(payload.getChannelId())));
            return;
        }
        try {
            List<DeployRequest> inQueue = new ArrayList<>();
            for (Deployment deployment : api.deployQueue(database.get())) {
                if (deployment.deployRequestNumber() > 0) {
                    inQueue.add(api.getDeployRequest(new DeployRef(api.org(), database.get(),
                            deployment.deployRequestNumber())));
                }
            }
            replies.card(payload.getResponseUrl(), cards.list(inQueue, "Deploy queue of " + database.get()), false,
                    false);
        } catch (PlanetScaleException | IOException e) {
            replies.tell(payload.getResponseUrl(),
                    failure(database.get(), e));
        }
    }

    /**
     * A typed write asks before acting, as a button does: the person gets the card privately with a confirm step
     * ({@link TypedConfirm}), unless the policy or the state already says no. Only a comment, which changes nothing
     * in the database, is posted at once.
     */
    private void act(ParsedCommand.Act act, DeployRef ref, SlashCommandPayload payload) {
        SlackUser user = new SlackUser(payload.getUserId(), payload.getUserName(), payload.getTeamId());
        if (act.action() != DeployAction.COMMENT) {
            offerConfirmation(act, ref, user, payload.getResponseUrl());
            return;
        }
        ActionOutcome outcome = actions.perform(user, act.action(), ref, act.text());
        String responseUrl = payload.getResponseUrl();
        if (outcome instanceof ActionOutcome.Done done) {
            String line = done.action() == DeployAction.COMMENT ? Messages.commented(ref, user.id(), act.text())
                    : Messages.done(done.action(), ref, user.id());
            writer.show(done.request(), new Origin.Command(payload.getChannelId(), responseUrl, done.action(),
                    routing.follows(payload.getChannelId(), ref.database())), Optional.of(line));
        } else {
            replies.tell(responseUrl, OutcomeWords.of(outcome), OutcomeWords.blocks(outcome));
        }
    }

    private void offerConfirmation(ParsedCommand.Act act, DeployRef typed, SlackUser user, String responseUrl) {
        DeployRef ref = typed.normalized(); // PlanetScale folds database names; so does every write
        Optional<ActionOutcome> refused = actions.refusalBeforeConfirmation(user, act.action(), ref);
        if (refused.isPresent()) {
            replies.tell(responseUrl, OutcomeWords.of(refused.get()), OutcomeWords.blocks(refused.get()));
            return;
        }
        try {
            DeployRequest current = api.fresh(ref);
            if (!AvailableActions.allows(current, actions.approvalRequired(ref.database()), act.action())) {
                replies.tell(responseUrl, OutcomeWords.of(actions.endedBeforeConfirmation(user, act.action(), ref,
                        new ActionOutcome.NotApplicable(act.action(), ref, current))));
                return;
            }
            replies.card(responseUrl, TypedConfirm.card(cards.card(current), act.action(), current.ref(), act.text()),
                    false, false);
        } catch (PlanetScaleException | IOException e) {
            actions.endedBeforeConfirmation(user, act.action(), ref, actions.failure(act.action(), ref, e));
            replies.tell(responseUrl, Messages.failure(act.action(), ref.toString(), api.org(), e,
                    tokenSeesOrganization(e)));
        }
    }

    /** {@code /pscale doctor}: an admin action (it shows how the installation is wired); answered privately. */
    private void doctor(SlashCommandPayload payload) {
        Decision decision = policy.check(payload.getUserId(), Policy.ADMIN, "*", groups);
        if (!decision.allowed()) {
            replies.tell(payload.getResponseUrl(), Messages.denied(Policy.ADMIN, decision.reason()));
            return;
        }
        replies.tell(payload.getResponseUrl(), Messages.doctor(doctor.get()));
    }

    /** {@code /pscale webhooks setup <database>}: an admin action; the test event's arrival is told later. */
    private void webhooksSetup(ParsedCommand.WebhooksSetup setup, SlashCommandPayload payload) {
        String responseUrl = payload.getResponseUrl();
        Decision decision = policy.check(payload.getUserId(), Policy.ADMIN, setup.database(), groups);
        if (!decision.allowed()) {
            replies.tell(responseUrl, Messages.denied(Policy.ADMIN, decision.reason()));
            return;
        }
        WebhookKeeper.Setup outcome = webhooks.setup(setup.database(), payload.getChannelId());
        if (outcome instanceof WebhookKeeper.Setup.Done done) {
            replies.announce(responseUrl, Messages.webhookCreated(payload.getUserId(), done.database(), done.url(),
                    done.created()));
        } else if (outcome instanceof WebhookKeeper.Setup.Failed failed) {
            replies.tell(responseUrl, Messages.webhookSetupFailed(failed.database(), failed.error()));
        } else {
            replies.tell(responseUrl, Messages.webhookNeedsPublicUrl());
        }
    }

    private void subscribe(ParsedCommand.Subscribe subscribe, SlashCommandPayload payload) {
        String channel = payload.getChannelId();
        String responseUrl = payload.getResponseUrl();
        Optional<String> database = subscribe.database().or(() -> defaults.databaseFor(channel));
        if (database.isEmpty()) {
            replies.tell(responseUrl, Messages.usage("subscribe"));
            return;
        }
        Decision decision = policy.check(payload.getUserId(), "subscribe", database.get(), groups);
        if (!decision.allowed()) {
            replies.tell(responseUrl, Messages.denied("subscribe", decision.reason()));
            return;
        }
        try {
            api.getDatabase(database.get());
        } catch (PlanetScaleException | IOException e) {
            replies.tell(responseUrl, failure(database.get(), e));
            return;
        }
        Optional<String> problem = checkCanPost(channel);
        if (problem.isPresent()) {
            replies.tell(responseUrl, problem.get());
            return;
        }
        store.subscriptions().subscribe(new Subscription(channel, database.get(),
                subscribe.filters(), payload.getUserId(), clock.instant()));
        store.channelHealth().clear(channel);
        replies.announce(responseUrl, Messages.subscribed(payload.getUserId(), database.get(), subscribe.filters()));
    }

    /** Empty when the bot can post in the channel; otherwise what to do about it. */
    private Optional<String> checkCanPost(String channel) {
        try {
            SlackPoster.ChannelInfo info = poster.channelInfo(channel);
            if (!info.exists() || info.isPrivate() && !info.isMember()) {
                return Optional.of(Messages.cannotPostHere(true));
            }
            if (info.isArchived()) {
                return Optional.of(Messages.cannotPostHere(false));
            }
            if (!info.isMember()) {
                poster.join(channel); // public: join so replies and updates keep working
            }
            return Optional.empty();
        } catch (SlackPostException e) {
            if (e.kind() == SlackPostException.Kind.CHANNEL) {
                return Optional.of(Messages.cannotPostHere(true));
            }
            log.warn("Could not check channel {} before subscribing: {}", channel, e.error());
            return Optional.empty(); // Slack hiccup: subscribe anyway, delivery problems show in /pscale subscriptions
        }
    }

    private void unsubscribe(ParsedCommand.Unsubscribe unsubscribe, SlashCommandPayload payload) {
        String channel = payload.getChannelId();
        Optional<String> database = unsubscribe.database().or(() -> defaults.databaseFor(channel));
        if (database.isEmpty()) {
            replies.tell(payload.getResponseUrl(), Messages.whichDatabase("unsubscribe", defaults.databasesOf(channel)));
            return;
        }
        Decision decision = policy.check(payload.getUserId(), "subscribe", database.get(), groups);
        if (!decision.allowed()) {
            replies.tell(payload.getResponseUrl(), Messages.denied("unsubscribe", decision.reason()));
            return;
        }
        boolean removed = store.subscriptions().unsubscribe(channel, database.get());
        if (removed) {
            replies.announce(payload.getResponseUrl(), Messages.unsubscribed(payload.getUserId(), database.get()));
        } else {
            replies.tell(payload.getResponseUrl(), Messages.notSubscribed(database.get()));
        }
    }

    private void subscriptions(SlashCommandPayload payload) {
        String channel = payload.getChannelId();
        replies.tell(payload.getResponseUrl(), Messages.subscriptions(store.subscriptions().forChannel(channel),
                store.channelHealth().problem(channel)));
    }

    /** Fills in the database a target left out, or tells the person why it cannot. */
    private Optional<DeployRef> resolve(ParsedCommand.Target target, SlashCommandPayload payload) {
        Optional<String> database = target.database().or(() -> defaults.databaseFor(payload.getChannelId()));
        if (database.isEmpty()) {
            replies.tell(payload.getResponseUrl(),
                    Messages.whichDatabase("#" + target.number(), defaults.databasesOf(payload.getChannelId())));
            return Optional.empty();
        }
        return Optional.of(new DeployRef(api.org(), database.get(), target.number()));
    }

    /**
     * Words for a failed read of {@code what} (a database or deploy request): for a 404 Cutover asks whether the token
     * sees the organization and which databases it sees, so "no such" and "no access" are told apart.
     */
    private String failure(String what, Exception e) {
        Boolean seesOrganization = tokenSeesOrganization(e);
        List<String> visible = null;
        if (Boolean.TRUE.equals(seesOrganization)) {
            try {
                visible = api.listDatabases().stream().map(Database::name).sorted().toList();
            } catch (PlanetScaleException | IOException | RuntimeException unknown) {
                visible = null; // the words then hedge without the list
            }
        }
        return Messages.failure(null, what, api.org(), e, seesOrganization, visible);
    }

    private Boolean tokenSeesOrganization(Exception e) {
        return e instanceof PlanetScaleException p && p.isNotFound() ? actions.tokenSeesOrganization() : null;
    }

    private static String capitalize(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
