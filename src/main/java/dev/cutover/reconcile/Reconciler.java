package dev.cutover.reconcile;

import dev.cutover.cards.CardWriter;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.EventType;
import dev.cutover.deploy.Review;
import dev.cutover.planetscale.DeployRequestFilter;
import dev.cutover.planetscale.HttpPlanetScaleApi;
import dev.cutover.planetscale.ObservedDeployRequest;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.planetscale.WebhookParser;
import dev.cutover.store.AppendResult;
import dev.cutover.store.CardThread;
import dev.cutover.store.EventJournal;
import dev.cutover.store.IncomingEvent;
import dev.cutover.store.Subscription;
import dev.cutover.store.SubscriptionStore;
import dev.cutover.store.ThreadIndex;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically reads PlanetScale's view of every database Cutover reports on (subscribed, or routed to the default
 * channel) and compares it with what the cards in Slack show (the thread index knows each card's rendered
 * {@code updated_at} and the last event told). Each difference becomes an event in the same journal as webhooks,
 * so the one card writer, per-request ordering and dedupe apply unchanged: an approval in the dashboard, a request
 * opened while webhooks were off, a revert window that ended.
 *
 * <p>Cost per database and pass: one {@code GET …/deploy-requests?state=open} (100 per page), plus one GET for each
 * request that left the open list since the last pass, plus one reviews read per approved request whose card is
 * behind, plus (first pass after start only) one page of closed requests, plus one {@code GET …/webhooks} where
 * Cutover manages the webhook ({@link WebhookKeeper}). So about one or two calls per pass when nothing
 * happens: 1/min per database at the 60 s default, 4/min in polling mode (15 s). The period is stretched so
 * reconciliation alone never uses more than {@link #BUDGET_PER_MINUTE} of PlanetScale's 600 requests a minute, and a
 * 429 doubles it (up to {@link #MAX_PERIOD}) until a pass succeeds again. Reads are tried once here (the client
 * has no retries of its own), so a rate limit never makes this thread sleep and never delays commands.
 */
public final class Reconciler {
    /** Half of PlanetScale's 600 requests a minute; the rest stays for commands, buttons and card refreshes. */
    static final int BUDGET_PER_MINUTE = 300;
    static final Duration MAX_PERIOD = Duration.ofMinutes(10);
    /** Closed requests read on the first pass after a start: closes that happened while Cutover was down. */
    static final int CLOSED_ON_FIRST_PASS = 25;
    /** Open requests of a database with more than this many are not all compared (keeps one pass bounded). */
    static final int MAX_OPEN = 1_000;
    /**
     * A database routed to the default channel gets new threads only for requests changed this recently, so
     * turning the default channel on does not flood it with every old open request.
     */
    static final Duration DEFAULT_CHANNEL_LOOKBACK = Duration.ofHours(24);

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /** The databases of the organization, for a default channel that hears about all of them. */
    @FunctionalInterface
    public interface Databases {
        List<String> all() throws PlanetScaleException, IOException;
    }

    /** What the last pass did, for {@code /pscale doctor}, {@code /healthz} and tests. */
    public record Pass(Instant at, int databases, int calls, int events, Optional<String> problem) {}

    private final HttpPlanetScaleApi api;
    private final Databases organizationDatabases;
    private final SubscriptionStore subscriptions;
    private final Optional<String> defaultChannel;
    private final ThreadIndex threads;
    private final EventJournal journal;
    private final Runnable wakeUp;
    private final Clock clock;
    private final Duration period;
    private final WebhookKeeper webhooks;
    private final Counter calls;
    private final Counter events;
    private final Counter rateLimited;

    /** The {@code updated_at} last compared per request: a request that did not change is not looked at again. */
    private final Map<DeployRef, Instant> compared = new ConcurrentHashMap<>();
    /** Open request numbers per database at the last pass; null before the first. */
    private final Map<String, Set<Integer>> openAtLastPass = new ConcurrentHashMap<>();
    private Instant nextPassAt;
    private Duration currentPeriod;
    private volatile Pass lastPass;
    private int callsThisPass;

    /**
     * @param api a client without read retries ({@link HttpPlanetScaleApi#withoutReadRetries()})
     * @param wakeUp tells the outbox that events were recorded
     * @param period the time between passes ({@code CUTOVER_RECONCILE_SECONDS})
     */
    public Reconciler(HttpPlanetScaleApi api, Databases organizationDatabases, SubscriptionStore subscriptions,
            Optional<String> defaultChannel, ThreadIndex threads, EventJournal journal, Runnable wakeUp, Clock clock,
            Duration period, WebhookKeeper webhooks, MeterRegistry registry) {
        this.webhooks = webhooks;
        this.api = api;
        this.organizationDatabases = organizationDatabases;
        this.subscriptions = subscriptions;
        this.defaultChannel = defaultChannel;
        this.threads = threads;
        this.journal = journal;
        this.wakeUp = wakeUp;
        this.clock = clock;
        this.period = period;
        this.currentPeriod = period;
        // The first pass waits one period: webhooks are the fast path, and a start must not race them.
        this.nextPassAt = clock.instant().plus(period);
        this.calls = Counter.builder("cutover.reconcile.calls").description("PlanetScale API calls by reconciliation")
                .register(registry);
        this.events = Counter.builder("cutover.reconcile.events")
                .description("differences reconciliation recorded in the journal").register(registry);
        this.rateLimited = Counter.builder("cutover.reconcile.rate_limited")
                .description("reconciliation passes cut short by a 429 from PlanetScale").register(registry);
    }

    /** Runs a pass if one is due on the clock; returns whether it did. Safe from any thread (passes never overlap). */
    public synchronized boolean runDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextPassAt)) {
            return false;
        }
        runPass(now);
        return true;
    }

    /** When the next pass is due. */
    public synchronized Instant nextPassAt() {
        return nextPassAt;
    }

    public Optional<Pass> lastPass() {
        return Optional.ofNullable(lastPass);
    }

    public Duration period() {
        return period;
    }

    private void runPass(Instant now) {
        callsThisPass = 0;
        int recorded = 0;
        Optional<String> problem = Optional.empty();
        Set<String> databases = new TreeSet<>();
        try {
            databases.addAll(subscriptions.databases());
            if (defaultChannel.isPresent()) {
                databases.addAll(organizationDatabases.all());
            }
            for (String database : databases) {
                try {
                    recorded += reconcile(database, now);
                } catch (PlanetScaleException e) {
                    if (e.status() == 429) {
                        throw e;
                    }
                    problem = Optional.of(database + ": PlanetScale answered " + e.status());
                    log.warn("Reconciling {} failed: PlanetScale answered {} {}", database, e.status(), e.code());
                } catch (IOException e) {
                    problem = Optional.of(database + ": " + e.getMessage());
                    log.warn("Reconciling {} failed: {}", database, e.toString());
                }
            }
            currentPeriod = stretched(period, databases.size());
        } catch (PlanetScaleException e) {
            if (e.status() != 429) {
                problem = Optional.of("PlanetScale answered " + e.status());
                log.warn("Reconciliation could not list databases: PlanetScale answered {}", e.status());
            } else {
                // Back off: the next pass waits twice as long, up to ten minutes; commands keep their own budget.
                rateLimited.increment();
                currentPeriod = min(currentPeriod.multipliedBy(2), MAX_PERIOD);
                problem = Optional.of("rate limited by PlanetScale (429); next pass in " + currentPeriod.toSeconds()
                        + " s");
                log.warn("PlanetScale rate-limited reconciliation; next pass in {} s", currentPeriod.toSeconds());
            }
        } catch (IOException e) {
            problem = Optional.of(e.getMessage());
            log.warn("Reconciliation could not list databases: {}", e.toString());
        } catch (RuntimeException e) {
            problem = Optional.of(e.toString());
            log.error("Reconciliation pass failed", e);
        }
        nextPassAt = now.plus(currentPeriod);
        lastPass = new Pass(now, databases.size(), callsThisPass, recorded, problem);
        if (recorded > 0) {
            wakeUp.run();
        }
    }

    /** The period, stretched so that {@code databases} one-call passes stay within {@link #BUDGET_PER_MINUTE}. */
    static Duration stretched(Duration period, int databases) {
        Duration floor = Duration.ofMillis(60_000L * Math.max(1, databases) / BUDGET_PER_MINUTE);
        return period.compareTo(floor) >= 0 ? period : floor;
    }

    private int reconcile(String database, Instant now) throws PlanetScaleException, IOException {
        List<ObservedDeployRequest> observed = new ArrayList<>(read(() -> api.observeDeployRequests(database,
                DeployRequestFilter.OPEN, MAX_OPEN)));
        Set<Integer> openNow = new HashSet<>();
        observed.forEach(o -> openNow.add(o.request().ref().number()));
        Set<Integer> before = openAtLastPass.get(database);
        if (before == null) {
            observed.addAll(read(() -> api.observeDeployRequests(database, DeployRequestFilter.CLOSED,
                    CLOSED_ON_FIRST_PASS)));
        } else {
            for (int number : before) {
                if (!openNow.contains(number)) {
                    DeployRef ref = new DeployRef(api.org(), database, number);
                    try {
                        observed.add(read(() -> api.observeDeployRequest(ref)));
                    } catch (PlanetScaleException e) {
                        if (e.status() != 404) {
                            throw e;
                        }
                    }
                }
            }
        }
        openAtLastPass.put(database, openNow);
        try {
            int webhookCalls = webhooks.check(database);
            callsThisPass += webhookCalls;
            calls.increment(webhookCalls);
        } catch (PlanetScaleException e) {
            if (e.status() == 429) {
                throw e;
            }
            log.warn("Could not read the webhooks of {}: PlanetScale answered {}", database, e.status());
        }
        int recorded = 0;
        for (ObservedDeployRequest deployRequest : observed) {
            recorded += compare(deployRequest, now);
        }
        return recorded;
    }

    /** Compares one request with its card and records what the card does not tell yet; returns how many events. */
    private int compare(ObservedDeployRequest observed, Instant now) throws PlanetScaleException, IOException {
        DeployRequest request = observed.request();
        DeployRef ref = request.ref();
        Instant updatedAt = request.updatedAt() == null ? Instant.EPOCH : request.updatedAt();
        if (updatedAt.equals(compared.get(ref))) {
            return 0;
        }
        List<String> channels = new ArrayList<>();
        Optional<Instant> followedSince = followedSince(ref.database(), now, channels);
        if (followedSince.isEmpty()) {
            compared.put(ref, updatedAt);
            return 0;
        }
        Optional<CardThread> card = channels.stream()
                .map(channel -> threads.find(ref.org(), ref.database(), ref.number(), channel))
                .flatMap(Optional::stream).findFirst();
        int recorded = 0;
        if (card.isEmpty()) {
            // A request nobody was told about: give it its thread if it is open and new to these channels.
            Instant since = followedSince.get();
            if (request.isOpen() && (request.createdAt() == null || !request.createdAt().isBefore(since)
                    || updatedAt.isAfter(since))) {
                recorded += record(EventType.DEPLOY_REQUEST_OPENED, observed, null, keyOf(
                        EventType.DEPLOY_REQUEST_OPENED, observed), now);
            }
        } else {
            Instant rendered = card.get().renderedUpdatedAt();
            if (rendered == null || updatedAt.isAfter(rendered)) {
                if (request.isOpen() && request.approved()) {
                    recorded += approvalsSince(observed, rendered, now);
                }
                EventType event = Transitions.eventFor(request);
                if (!event.wire().equals(CardWriter.lastEventName(card.get()))) {
                    recorded += record(event, observed, null, keyOf(event, observed), now);
                }
            }
        }
        compared.put(ref, updatedAt);
        return recorded;
    }

    /** Approvals recorded after the card was last rendered: done in the dashboard or the CLI, not through us. */
    private int approvalsSince(ObservedDeployRequest observed, Instant rendered, Instant now)
            throws PlanetScaleException, IOException {
        int recorded = 0;
        List<Review> reviews = read(() -> api.listReviews(observed.request().ref()));
        for (Review review : reviews) {
            if (review.kind() == Review.Kind.APPROVED && review.createdAt() != null
                    && (rendered == null || review.createdAt().isAfter(rendered))) {
                // Keyed by the review: the same approval is told once, whatever happens to updated_at later.
                String key = EventType.RECONCILED_APPROVED.wire() + "|" + observed.request().id() + "|" + review.id();
                Actor actor = review.actor();
                recorded += record(EventType.RECONCILED_APPROVED, observed, actor, key, now);
            }
        }
        return recorded;
    }

    /**
     * The same key a webhook for this change carries ({@code event|resource id|updated_at}, exactly as PlanetScale
     * wrote {@code updated_at}), so when both see the same version the journal keeps one.
     */
    private static String keyOf(EventType event, ObservedDeployRequest observed) {
        String updatedAt = observed.updatedAtText().isEmpty() ? String.valueOf(observed.request().updatedAt())
                : observed.updatedAtText();
        return event.wire() + "|" + observed.request().id() + "|" + updatedAt;
    }

    private int record(EventType event, ObservedDeployRequest observed, Actor actor, String key, Instant now) {
        DeployRequest request = observed.request();
        DeployRef ref = request.ref();
        byte[] body = WebhookParser.reconciliationBody(event, ref.org(), ref.database(), observed.json(), actor, now);
        AppendResult result = journal.append(new IncomingEvent(key, event.wire(), ref.org(), ref.database(),
                ref.number(), request.updatedAt(), now, new String(body, StandardCharsets.UTF_8)));
        if (result == AppendResult.APPENDED) {
            events.increment();
            log.info("Reconciliation found {} for {}", event.wire(), ref);
            return 1;
        }
        return 0;
    }

    /**
     * The channels that hear about the database's deploy requests (into {@code channels}), and since when: the
     * oldest such subscription, or {@link #DEFAULT_CHANNEL_LOOKBACK} for the default channel. Empty when nobody
     * hears about it.
     */
    private Optional<Instant> followedSince(String database, Instant now, List<String> channels) {
        List<Subscription> following = subscriptions.forDatabase(database);
        Set<String> ids = new LinkedHashSet<>();
        Instant since = null;
        for (Subscription subscription : following) {
            if (subscription.matches(EventType.DEPLOY_REQUEST_OPENED)) {
                ids.add(subscription.channelId());
                since = since == null || subscription.createdAt().isBefore(since) ? subscription.createdAt() : since;
            }
        }
        if (following.isEmpty() && defaultChannel.isPresent()) {
            ids.add(defaultChannel.get());
            since = now.minus(DEFAULT_CHANNEL_LOOKBACK);
        }
        channels.addAll(ids);
        return Optional.ofNullable(since);
    }

    @FunctionalInterface
    private interface Read<T> {
        T run() throws PlanetScaleException, IOException;
    }

    private <T> T read(Read<T> call) throws PlanetScaleException, IOException {
        callsThisPass++;
        calls.increment();
        return call.run();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
