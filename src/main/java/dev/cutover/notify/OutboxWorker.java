package dev.cutover.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.actions.SlackActors;
import dev.cutover.deploy.Database;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.planetscale.CachingPlanetScaleApi;
import dev.cutover.planetscale.PlanetScaleJson;
import dev.cutover.slack.CardContext;
import dev.cutover.slack.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.EventJournal;
import dev.cutover.store.IncomingEvent;
import dev.cutover.store.Store;
import dev.cutover.store.StoredEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the durable outbox into Slack. One thread, events in arrival order (the journal hands out only the
 * oldest pending event of each deploy request, so events for one request are applied in order). A Slack
 * failure leaves the event in the outbox with a later attempt time: a Slack outage only delays delivery.
 */
public final class OutboxWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);
    static final int BATCH = 100;
    static final int LANES = 8;
    static final Duration DATABASE_PATIENCE = Duration.ofMillis(500);
    static final int MAX_ATTEMPTS = 60;
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final Store store;
    private final SlackPoster poster;
    private final CachingPlanetScaleApi api;
    private final Clock clock;
    private final Routing routing;
    private final DeployRequestThreads threads;
    private final RevertReminders reminders;
    private final SlackActors slackActors;
    private final boolean sandbox;
    private final MeterRegistry registry;
    private final Timer deliveryLatency;
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> counters =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    /** Reads of database settings that a card may not wait for (they fill the cache for the next card). */
    private final ExecutorService lookups = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "outbox-lookup");
        thread.setDaemon(true);
        return thread;
    });
    /** Parallel deliveries within one pass (each to a different deploy request's thread). */
    private final ExecutorService lanes = Executors.newFixedThreadPool(LANES, runnable -> {
        Thread thread = new Thread(runnable, "outbox-lane");
        thread.setDaemon(true);
        return thread;
    });
    /** One pass at a time: a pass started by {@code deliverNow} must not deliver what the thread's pass is delivering. */
    private final Object pass = new Object();
    private volatile boolean running;
    private Thread thread;

    public OutboxWorker(Store store, SlackPoster poster, CachingPlanetScaleApi api, Clock clock,
            Optional<String> defaultChannel, RevertReminders reminders, SlackActors slackActors, boolean sandbox,
            MeterRegistry registry) {
        this.slackActors = slackActors;
        this.store = store;
        this.poster = poster;
        this.api = api;
        this.clock = clock;
        this.routing = new Routing(store.subscriptions(), defaultChannel);
        this.threads = new DeployRequestThreads(poster, store.threads());
        this.reminders = reminders;
        this.sandbox = sandbox;
        this.registry = registry;
        this.deliveryLatency = Timer.builder("cutover.delivery.latency")
                .description("from webhook receipt to the event applied in Slack")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("cutover.outbox.depth", store.events(), EventJournal::pendingCount)
                .description("events recorded but not yet delivered").register(registry);
    }

    /** Starts the worker thread; it wakes on {@link #wakeUp()} or every half second. */
    public void start() {
        running = true;
        thread = new Thread(this::loop, "outbox");
        thread.setDaemon(true);
        thread.start();
    }

    /** A new event was recorded: deliver it now rather than at the next poll. */
    public void wakeUp() {
        wake.release();
    }

    private void loop() {
        while (running) {
            try {
                if (runOnce() > 0) {
                    continue; // more may be due already (the next event of each deploy request just handled)
                }
                wake.tryAcquire(500, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Outbox pass failed; retrying shortly: {}", e.toString());
                sleepQuietly();
            }
        }
    }

    /**
     * One pass: every due event, then every due reminder. Returns the number of events handled. Safe to call from
     * any thread while the worker thread runs: passes never overlap, so no event is delivered twice.
     */
    public int runOnce() {
        synchronized (pass) {
            // The journal hands out at most one event per deploy request, so every event of a pass belongs to a
            // different thread in Slack and they can go in parallel; the store group-commits their writes.
            List<StoredEvent> due = store.events().due(clock.instant(), BATCH);
            if (due.size() <= 1) {
                due.forEach(this::handle);
            } else {
                List<Callable<Void>> work = due.stream().<Callable<Void>>map(event -> () -> {
                    handle(event);
                    return null;
                }).toList();
                try {
                    for (Future<Void> done : lanes.invokeAll(work)) {
                        done.get();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    log.error("Outbox lane failed: {}", e.getCause().toString());
                }
            }
            reminders.fireDue();
            return due.size();
        }
    }

    private void handle(StoredEvent entry) {
        IncomingEvent stored = entry.incoming();
        try {
            deliver(stored);
            store.events().markDone(entry.id());
            count("delivered");
            deliveryLatency.record(Duration.between(stored.receivedAt(), clock.instant()).abs());
        } catch (RetryLater retry) {
            if (retry.isPacing()) {
                // Our own pace, not a failure: never counts towards giving up, however long the burst.
                store.events().postpone(entry.id(), clock.instant().plus(retry.retryAfter().orElse(Duration.ofSeconds(1))));
                count("paced");
            } else if (entry.attempts() + 1 >= MAX_ATTEMPTS) {
                log.error("Giving up on webhook '{}' for {} after {} attempts: {}", stored.event(),
                        stored.database(), entry.attempts() + 1, retry.getMessage());
                store.events().markFailed(entry.id(), retry.getMessage());
                count("failed");
            } else {
                Duration delay = retry.retryAfter().orElse(backoff(entry.attempts()));
                store.events().retryLater(entry.id(), clock.instant().plus(delay), retry.getMessage());
                count("retried");
            }
        } catch (RuntimeException e) {
            // A bug or a poisoned event must not block the outbox forever.
            log.error("Dropping webhook '{}' for {}: {}", stored.event(), stored.database(), e.toString());
            store.events().markFailed(entry.id(), e.toString());
            count("failed");
        }
    }

    private void deliver(IncomingEvent stored) throws RetryLater {
        JsonNode root;
        try {
            root = PlanetScaleJson.mapper().readTree(stored.body());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("stored body is not JSON", e);
        }
        Set<String> channels = routing.channelsFor(stored.database(), stored.event());
        if (stored.event().startsWith("deploy_request.")) {
            DeployRequest request = PlanetScaleJson.deployRequest(stored.organization().isEmpty() ? api.org()
                    : stored.organization(), stored.database(), root.path("resource"));
            api.invalidate(request.ref());
            CardContext context = new CardContext(approvalRequired(stored.database()), sandbox, List.of(), true);
            Optional<String> slackActor = slackActors.causeOf(request.ref(), stored.event());
            AtomicBoolean stale = new AtomicBoolean();
            for (String channel : channels) {
                deliverToChannel(channel, () -> {
                    var result = threads.apply(channel, stored.event(), stored.dedupeKey(), request, context, slackActor);
                    if (result.applied() == DeployRequestThreads.Applied.REPLIED_ONLY_STALE) {
                        stale.set(true);
                    } else {
                        reminders.track(request, channel, result.threadTs());
                    }
                });
            }
            // Leaving the revert window cancels its reminder; a late, older event must not.
            if (request.deploymentState() != DeploymentState.COMPLETE_PENDING_REVERT && !stale.get()) {
                reminders.cancel(request.ref());
            }
        } else {
            JsonNode resource = root.path("resource");
            String text = Messages.otherEvent(stored.event(), stored.database(),
                    resource.path("branch_name").asText(resource.path("name").asText("")), otherDetail(resource));
            String marked = sandbox ? text + "\n" + Messages.sandboxMarker() : text;
            for (String channel : channels) {
                deliverToChannel(channel, () -> poster.postMessage(channel, marked, List.of(), null));
            }
        }
    }

    /** The one number worth showing for storage alerts; other events carry their news in the event name. */
    private static String otherDetail(JsonNode resource) {
        JsonNode percentage = resource.path("storage_percentage");
        return percentage.isNumber() ? percentage.asText() + "% used" : "";
    }

    @FunctionalInterface
    private interface SlackStep {
        void run() throws SlackPostException;
    }

    private void deliverToChannel(String channel, SlackStep step) throws RetryLater {
        try {
            step.run();
            store.channelHealth().clear(channel);
        } catch (SlackPostException e) {
            switch (e.kind()) {
                case RETRYABLE -> throw new RetryLater("slack: " + e.error(), e.retryAfter(),
                        SlackPostException.PACED.equals(e.error()));
                case AUTH -> throw new RetryLater("slack auth: " + e.error(), Optional.of(MAX_BACKOFF), false);
                case CHANNEL, MESSAGE_GONE, PERMANENT -> {
                    // Retrying cannot help; surface it in /pscale subscriptions and carry on with other channels.
                    log.warn("Slack refused delivery to {}: {}", channel, e.error());
                    store.channelHealth().recordFailure(channel, e.error(), clock.instant());
                    count("channel_error");
                }
            }
        }
    }

    /** 1 s, 2 s, 4 s … capped at five minutes: a Slack outage of minutes is ridden out, not hammered. */
    static Duration backoff(int attempts) {
        long seconds = 1L << Math.min(attempts, 9);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    /**
     * Whether the card should say approvals are required. Waits for PlanetScale at most briefly: a PlanetScale
     * outage must not hold up Slack notifications. Unknown renders as "not required"; a Deploy click is checked
     * against the real setting anyway.
     */
    private boolean approvalRequired(String database) {
        return api.databaseWithin(database, DATABASE_PATIENCE, lookups)
                .map(Database::requireApprovalForDeploy).orElse(false);
    }

    /** Each outcome's counter is registered once; this runs for every event. */
    private void count(String outcome) {
        counters.computeIfAbsent(outcome, name -> Counter.builder("cutover.deliveries")
                .description("outbox events by delivery outcome").tag("outcome", name).register(registry)).increment();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lanes.shutdown();
        lookups.shutdownNow();
    }

    /** For /healthz and tests. */
    public long pending() {
        return store.events().pendingCount();
    }
}
