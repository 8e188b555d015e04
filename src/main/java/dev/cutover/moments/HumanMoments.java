package dev.cutover.moments;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import dev.cutover.cards.CardWriter;
import dev.cutover.deploy.AvailableActions;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.planetscale.DeployRequestFilter;
import dev.cutover.planetscale.PlanetScaleApi;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.policy.Safeguards;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.render.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.store.CardThread;
import dev.cutover.store.SubscriptionStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the open deploy requests of every database Cutover reports on, on the injected clock, for moments a person
 * must act on (planetscale-api.md §5.5): a gated request waiting in {@code pending_cutover} past
 * {@code queue_blocker_after} (it blocks every later deploy to its branch), a cutover in {@code in_progress_cutover}
 * past {@code stuck_cutover_after}, and, where the policy lists the database in {@code gated_production}, a deploy
 * that would cut over by itself. Each moment is told once per deployment in each of the request's threads.
 */
public final class HumanMoments {
    /** How often the deploy requests are looked at (clock time); each pass costs one list per database. */
    public static final Duration PERIOD = Duration.ofSeconds(60);
    private static final int OPEN_READ = 100;
    private static final Logger log = LoggerFactory.getLogger(HumanMoments.class);

    /** The databases to watch: those subscribed to, plus all of them with a default channel. */
    @FunctionalInterface
    public interface Databases {
        Set<String> all() throws PlanetScaleException, IOException;
    }

    private final PlanetScaleApi api;
    private final Databases databases;
    private final CardWriter writer;
    private final Safeguards safeguards;
    private final Clock clock;
    private final Duration period;
    /** When each deploy request was first seen in its current state ("org/db/n|state" → instant). */
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
    /** Moments already told in this process; the post ledger keeps them from repeating across restarts. */
    private final Set<String> told = ConcurrentHashMap.newKeySet();
    private Instant lastPass;

    /** @param period how often to look ({@link #PERIOD}; shorter in a sped-up sandbox) */
    public HumanMoments(PlanetScaleApi api, Databases databases, CardWriter writer, Safeguards safeguards,
            Clock clock, Duration period) {
        this.period = period;
        this.api = api;
        this.databases = databases;
        this.writer = writer;
        this.safeguards = safeguards;
        this.clock = clock;
    }

    /** The databases Cutover reports on (as reconciliation reads them). */
    public static Databases routed(SubscriptionStore subscriptions, Optional<String> defaultChannel,
            PlanetScaleApi api) {
        return () -> {
            Set<String> all = new TreeSet<>(subscriptions.databases());
            if (defaultChannel.isPresent()) {
                api.listDatabases().forEach(database -> all.add(database.name()));
            }
            return all;
        };
    }

    /** Runs a pass when its period has passed on the clock; returns whether one ran. Never throws. */
    public synchronized boolean runDue() {
        Instant now = clock.instant();
        if (lastPass != null && now.isBefore(lastPass.plus(period))) {
            return false;
        }
        lastPass = now;
        runPass(now);
        return true;
    }

    /** One pass now, whatever the period (tests with a fake clock). */
    public synchronized void passNow() {
        runPass(clock.instant());
    }

    private void runPass(Instant now) {
        Set<String> watched;
        try {
            watched = databases.all();
        } catch (PlanetScaleException | IOException | RuntimeException e) {
            log.info("Could not list the databases to watch: {}", e.toString());
            return;
        }
        for (String database : watched) {
            try {
                for (DeployRequest request : api.listDeployRequests(database, DeployRequestFilter.OPEN, OPEN_READ)) {
                    look(request, now);
                }
            } catch (PlanetScaleException | IOException | RuntimeException e) {
                log.info("Could not look at the deploy requests of {}: {}", database, e.toString());
            }
        }
    }

    private void look(DeployRequest request, Instant now) throws PlanetScaleException, IOException {
        DeployRef ref = request.ref();
        DeploymentState state = request.deploymentState();
        Instant since = firstSeen.computeIfAbsent(ref + "|" + state.wire(), key -> now);
        if (request.updatedAt() != null && request.updatedAt().isBefore(since)) {
            since = request.updatedAt(); // seen late: PlanetScale's last change is the better bound
        }
        Duration waited = Duration.between(since, now);
        String deployment = request.deploymentIfPresent().map(Deployment::id).orElse("");
        boolean gated = !request.deploymentIfPresent().map(Deployment::autoCutover).orElse(true);
        if (state == DeploymentState.PENDING_CUTOVER && gated && waited.compareTo(safeguards.queueBlockerAfter()) >= 0) {
            tell("blocker|" + ref + "|" + deployment, request, Messages.queueBlocked(ref, request.intoBranch(), waited,
                    deployer(request), queuedBehind(request)), DeployAction.APPLY);
        } else if (state == DeploymentState.IN_PROGRESS_CUTOVER
                && waited.compareTo(safeguards.stuckCutoverAfter()) >= 0) {
            tell("stuck|" + ref + "|" + deployment, request, Messages.cutoverStuck(ref, waited),
                    DeployAction.FORCE_CUTOVER);
        }
        if (safeguards.isGated(ref.database()) && AvailableActions.allows(request, false, DeployAction.MAKE_GATED)) {
            tell("ungated|" + ref + "|" + deployment, request, Messages.notGated(ref, request.intoBranch()),
                    DeployAction.MAKE_GATED);
        }
    }

    /** Posts the moment into each thread of the request, once; with the one button that resolves it. */
    private void tell(String key, DeployRequest request, String text, DeployAction action) {
        if (told.contains(key)) {
            return;
        }
        List<LayoutBlock> blocks = List.of(
                SectionBlock.builder().text(MarkdownTextObject.builder().text(text).build()).build(),
                ActionsBlock.builder().elements(List.of(DeployRequestCard.actionButton(action, request, true))).build());
        List<CardThread> threads = writer.threadsOf(request.ref());
        boolean all = !threads.isEmpty(); // no thread yet: tell it once one exists
        for (CardThread thread : threads) {
            try {
                writer.ask(key + "|" + thread.channelId(), request.ref(), thread.channelId(), text, blocks);
            } catch (SlackPostException e) {
                all = false;
                log.info("Could not tell {} in {}: {}", key, thread.channelId(), e.error());
            }
        }
        if (all) {
            told.add(key);
        }
    }

    /** Who deployed it: the Slack person when it went through Cutover, else PlanetScale's name for them. */
    private String deployer(DeployRequest request) {
        Optional<String> slackUser = writer.deployer(request.ref());
        if (slackUser.isPresent()) {
            return "<@" + slackUser.get() + ">";
        }
        return request.deploymentIfPresent().map(Deployment::deployer).map(Actor::name).filter(n -> !n.isBlank())
                .orElse("someone");
    }

    /** The people whose deploy requests wait behind it in the queue (planetscale-api.md §3 #18). */
    private List<String> queuedBehind(DeployRequest request) throws PlanetScaleException, IOException {
        List<String> people = new ArrayList<>();
        for (Deployment queued : api.deployQueue(request.ref().database())) {
            int number = queued.deployRequestNumber();
            if (number <= 0 || number == request.ref().number()) {
                continue;
            }
            DeployRef behind = new DeployRef(request.ref().org(), request.ref().database(), number);
            String who = writer.deployer(behind).map(id -> "<@" + id + ">")
                    .orElseGet(() -> queued.deployer() == null || queued.deployer().name().isBlank() ? "someone"
                            : queued.deployer().name());
            String entry = who + " (" + behind + ")";
            if (!people.contains(entry)) {
                people.add(entry);
            }
        }
        return people;
    }
}
