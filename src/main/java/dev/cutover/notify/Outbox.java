package dev.cutover.notify;

import dev.cutover.store.EventJournal;
import dev.cutover.store.IncomingEvent;
import dev.cutover.store.StoreException;
import dev.cutover.store.StoredEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the durable journal through a {@link Delivery}. The journal hands out only the oldest pending event of each
 * deploy request, so one request's events are applied in order while different requests go in parallel on the
 * lanes. A failed delivery stays in the journal with a later attempt time: a Slack outage only delays delivery.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    static final int BATCH = 100;
    /** At most this many pending events of one deploy request are offered to the delivery together. */
    static final int TOGETHER = 20;
    static final int MAX_ATTEMPTS = 60;
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MIN_SLEEP = Duration.ofMillis(5);
    /** Longest pause while the store cannot write (a full disk): long enough not to spin, short enough to notice. */
    static final Duration MAX_STORE_PAUSE = Duration.ofSeconds(30);

    private final EventJournal journal;
    private final Delivery delivery;
    private final Clock clock;
    private final ExecutorService lanes;
    private final ThreadFactory loopThreads;
    private final MeterRegistry registry;
    private final Timer deliveryLatency;
    private final Counter coalesced;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    /**
     * Per deploy request, its oldest pending event while that waits for a paced slot (in memory: after a restart
     * such events simply wait for their slot). Bounded by the events pending.
     */
    private final Map<String, Long> pacedHeads = new ConcurrentHashMap<>();
    /** Paced events whose deploy request got a newer event since: due at the next pass. */
    private final Set<Long> bringForward = ConcurrentHashMap.newKeySet();
    /** One pass at a time: a pass started by {@link #runOnce} must not deliver what the loop's pass is delivering. */
    private final Object pass = new Object();
    private volatile boolean running;
    /** While the store cannot write, passes wait until then (clock time); null when writes work. */
    private Instant pausedUntil;
    private int storeFailures;
    private Thread thread;

    /**
     * @param lanes runs the deliveries of one pass in parallel (each to a different deploy request's thread)
     * @param loopThreads makes the one thread of {@link #start()}
     */
    public Outbox(EventJournal journal, Delivery delivery, Clock clock, ExecutorService lanes,
            ThreadFactory loopThreads, MeterRegistry registry) {
        this.journal = journal;
        this.delivery = delivery;
        this.clock = clock;
        this.lanes = lanes;
        this.loopThreads = loopThreads;
        this.registry = registry;
        this.deliveryLatency = Timer.builder("cutover.delivery.latency")
                .description("from webhook receipt to the event applied in Slack")
                // Seconds normally; minutes while Slack is down or a channel is paced.
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
                        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5))
                .register(registry);
        this.coalesced = Counter.builder("cutover.deliveries.coalesced")
                .description("events applied together with an earlier event of the same deploy request")
                .register(registry);
        Gauge.builder("cutover.outbox.depth", journal, EventJournal::pendingCount)
                .description("events recorded but not yet delivered").register(registry);
    }

    /** Starts the loop; it wakes on {@link #wakeUp()}, when the next event is due, and at least every half second. */
    public void start() {
        running = true;
        thread = loopThreads.newThread(this::loop);
        thread.start();
    }

    /** A new event was recorded: deliver it now rather than at the next poll. */
    public void wakeUp() {
        wake.release();
    }

    /**
     * A new event was recorded. If an earlier event of the same deploy request is waiting for its paced slot, the
     * next pass brings it forward, so the new state reaches the card now (card updates are not paced) instead of
     * waiting behind the slot; its reply keeps its booked slot.
     */
    public void arrived(IncomingEvent event) {
        if (event.deployRequestNumber() != null) {
            Long head = pacedHeads.get(requestKey(event));
            if (head != null) {
                bringForward.add(head);
            }
        }
        wakeUp();
    }

    private static String requestKey(IncomingEvent event) {
        return event.organization() + "/" + event.database() + "#" + event.deployRequestNumber();
    }

    private void loop() {
        while (running) {
            try {
                if (runOnce() > 0) {
                    continue; // more may be due already (the next event of each deploy request just handled)
                }
                wake.tryAcquire(untilNextDue().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Outbox pass failed; retrying shortly: {}", e.toString());
                pause();
            }
        }
    }

    /**
     * One pass over every due event; returns how many were handled. Safe to call from any thread while the loop
     * runs: passes never overlap, so no event is delivered twice.
     */
    public int runOnce() {
        synchronized (pass) {
            if (pausedUntil != null && clock.instant().isBefore(pausedUntil)) {
                return 0;
            }
            try {
                int handled = deliverDue();
                storeFailures = 0;
                pausedUntil = null;
                return handled;
            } catch (StoreException e) {
                // The store cannot write (full disk, lock held elsewhere): nothing is posted without its intent
                // recorded, so wait instead of spinning; StoreHealth logs it once a minute and /healthz says 503.
                pausedUntil = clock.instant().plus(storePause(storeFailures++));
                return 0;
            }
        }
    }

    private int deliverDue() {
        Instant now = clock.instant();
        for (Long head : List.copyOf(bringForward)) {
            journal.postpone(head, now);
            bringForward.remove(head);
        }
        List<StoredEvent> due = journal.due(clock.instant(), BATCH);
        if (due.size() <= 1) {
            due.forEach(this::handle);
            return due.size();
        }
        List<Callable<Void>> work = due.stream().<Callable<Void>>map(event -> () -> {
            handle(event);
            return null;
        }).toList();
        StoreException storeFailure = null;
        try {
            for (Future<Void> done : lanes.invokeAll(work)) {
                try {
                    done.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StoreException failure) {
                        storeFailure = failure;
                    } else {
                        log.error("Outbox lane failed: {}", e.getCause().toString());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (storeFailure != null) {
            throw storeFailure;
        }
        return due.size();
    }

    /**
     * How long the loop may sleep: until the next event that can actually go (paced events are booked their own
     * slots, so a backlog waiting for Slack's pace wakes the loop about once per slot, not for every event), at
     * most {@link #POLL} (the clock may be moved, and a wake-up may be missed).
     */
    private Duration untilNextDue() {
        synchronized (pass) {
            if (pausedUntil != null) {
                return POLL;
            }
        }
        try {
            Optional<Instant> next = journal.nextAttemptAt();
            if (next.isEmpty()) {
                return POLL;
            }
            Duration wait = Duration.between(clock.instant(), next.get());
            // A few milliseconds at least: the journal keeps milliseconds, and an event due "now" that the pass just
            // missed must not turn this into a busy loop.
            return wait.compareTo(MIN_SLEEP) < 0 ? MIN_SLEEP : wait.compareTo(POLL) > 0 ? POLL : wait.plusMillis(1);
        } catch (StoreException e) {
            return POLL;
        }
    }

    /** 1 s, 2 s, 4 s … up to {@link #MAX_STORE_PAUSE}. */
    static Duration storePause(int failures) {
        long seconds = 1L << Math.min(failures, 5);
        return Duration.ofSeconds(Math.min(seconds, MAX_STORE_PAUSE.toSeconds()));
    }

    private void handle(StoredEvent entry) {
        IncomingEvent stored = entry.incoming();
        try {
            // Events of the same deploy request waiting behind this one: when Slack's pace is backed up the
            // delivery applies them together (one card update, one reply), so the card never lags far behind.
            List<StoredEvent> together = new ArrayList<>();
            together.add(entry);
            together.addAll(journal.laterPending(entry, TOGETHER - 1));
            int delivered = together.size() == 1 ? deliverOne(stored)
                    : delivery.deliverTogether(together.stream().map(StoredEvent::incoming).toList());
            pacedHeads.remove(requestKey(stored), entry.id());
            List<StoredEvent> done = together.subList(0, Math.max(1, Math.min(delivered, together.size())));
            journal.markDone(done.stream().map(StoredEvent::id).toList());
            Instant now = clock.instant();
            for (StoredEvent event : done) {
                count("delivered");
                deliveryLatency.record(Duration.between(event.incoming().receivedAt(), now).abs());
            }
            if (done.size() > 1) {
                coalesced.increment(done.size() - 1);
            }
        } catch (RetryLater retry) {
            if (retry.isPacing()) {
                // Our own pace, not a failure: never counts towards giving up, however long the burst. The pacer
                // booked this event's slot; it comes back then, or sooner when a newer event of its deploy
                // request arrives (see arrived).
                journal.postpone(entry.id(), clock.instant().plus(retry.retryAfter().orElse(Duration.ofSeconds(1))));
                if (stored.deployRequestNumber() != null) {
                    pacedHeads.put(requestKey(stored), entry.id());
                }
                count("paced");
                return;
            }
            pacedHeads.remove(requestKey(stored), entry.id());
            if (entry.attempts() + 1 >= MAX_ATTEMPTS) {
                log.error("Giving up on webhook '{}' for {} after {} attempts: {}", stored.event(),
                        stored.database(), entry.attempts() + 1, retry.getMessage());
                journal.markFailed(entry.id(), retry.getMessage());
                count("failed");
            } else {
                Duration delay = retry.retryAfter().orElse(backoff(entry.attempts()));
                journal.retryLater(entry.id(), clock.instant().plus(delay), retry.getMessage());
                count("retried");
            }
        } catch (StoreException e) {
            // Not the event's fault: it stays pending, untouched, and the pass pauses (see runOnce).
            throw e;
        } catch (RuntimeException e) {
            // A bug or a poisoned event must not block the outbox forever.
            log.error("Dropping webhook '{}' for {}: {}", stored.event(), stored.database(), e.toString());
            journal.markFailed(entry.id(), e.toString());
            count("failed");
        }
    }

    private int deliverOne(IncomingEvent stored) throws RetryLater {
        delivery.deliver(stored);
        return 1;
    }

    /** 1 s, 2 s, 4 s … capped at five minutes: a Slack outage of minutes is ridden out, not hammered. */
    static Duration backoff(int attempts) {
        long seconds = 1L << Math.min(attempts, 9);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    /** Each outcome's counter is registered once; this runs for every event. */
    private void count(String outcome) {
        counters.computeIfAbsent(outcome, name -> Counter.builder("cutover.deliveries")
                .description("outbox events by delivery outcome").tag("outcome", name).register(registry)).increment();
    }

    private void pause() {
        try {
            wake.tryAcquire(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For /healthz and tests. */
    public long pending() {
        return journal.pendingCount();
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
    }
}
