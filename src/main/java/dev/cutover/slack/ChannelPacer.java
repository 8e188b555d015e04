package dev.cutover.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cutover.store.ChannelPaces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps {@code chat.postMessage} and {@code chat.update} within Slack's "about one message per second per
 * channel, short bursts tolerated" (https://docs.slack.dev/apis/web-api/rate-limits): a token bucket per
 * channel, plus a penalty that holds a whole channel back after Slack answered 429.
 *
 * <p>It never waits: {@link #reserve} says "go" or "not before then", and the caller schedules. Thread-safe.
 * Memory stays bounded: a channel's entry disappears once it is back to a full bucket, and the number of
 * channels tracked is capped.
 *
 * <p>A call that names itself ({@link #reserve(String, String)}) and is held back is <em>booked</em> a slot of its
 * own: the next free one for its channel (virtual scheduling of the same algorithm). When it comes back at that
 * slot it goes, whatever else asked meanwhile. So a backlog of thousands of posts to one channel is spread one per
 * interval, each told its own time, instead of all of them asking again every second. Bookings live in memory,
 * are bounded, and expire a minute after their slot: a booking nobody honours costs one slot, and after a restart
 * (no bookings) the callers simply book again.
 *
 * <p><b>Several replicas</b> (a PostgreSQL store) share one pace per channel: the same rule runs on state kept in
 * the database ({@link ChannelPaces}), each decision with the channel's row locked, so two replicas posting to one
 * channel take their slots from one bucket and a booking made on one replica is honoured on another (the outbox
 * hands a paced event to whichever replica is free when its slot comes). Why state in the database rather than
 * each channel owned by one replica through a lease: delivery is per deploy request, not per channel (one event
 * posts to every subscribed channel), so an owner would have to forward posts to other replicas and hand channels
 * over when one dies; a locked row per channel costs one short transaction per post (at most one a second per
 * channel) and needs no failover at all.
 */
public final class ChannelPacer {
    /** Far more channels than one workspace bot posts to; losing pacing for the oldest is harmless. */
    private static final long MAX_CHANNELS = 10_000;
    /** More posts than a day of one channel's pace; past that the oldest booking is forgotten (it books again). */
    private static final long MAX_BOOKINGS = 100_000;
    /** A booking not used this long after its slot is dropped (its caller went away or took another path). */
    private static final Duration BOOKING_GRACE = Duration.ofMinutes(1);

    private final Clock clock;
    private final long intervalNanos;
    private final long burstToleranceNanos;
    /**
     * Per channel, the "theoretical arrival time" of the generic cell rate algorithm, in epoch nanoseconds:
     * a call may go when {@code now >= tat - (burst - 1) * interval}. This is a token bucket stored as one
     * number, so the read-modify-write is a single atomic {@code compute}.
     */
    private final Cache<String, Long> theoreticalArrival;
    /** Booked slots by call key: where each held-back call was told to come back. */
    private final Cache<String, Booking> bookings;

    private record Booking(String channel, long slotNanos) {}

    /** Slack's pace: about one message a second per channel, a burst of five tolerated. */
    public static final Duration SLACK_INTERVAL = Duration.ofSeconds(1);
    public static final int SLACK_BURST = 5;

    /** Null in one process (SQLite): the caches above are the whole state. */
    private final ChannelPaces shared;

    /**
     * Slack's pace, kept in this process, or in the store when several replicas share it ({@code shared} not null).
     */
    public static ChannelPacer forStore(Clock clock, ChannelPaces shared) {
        return new ChannelPacer(clock, SLACK_INTERVAL, SLACK_BURST, shared);
    }

    /**
     * @param interval the steady pace per channel (Slack: 1 s)
     * @param burst how many calls may go back to back on an idle channel (at least 1)
     */
    public ChannelPacer(Clock clock, Duration interval, int burst) {
        this(clock, interval, burst, null);
    }

    /** @param shared the pace as all replicas see it, or null to keep it in this process */
    public ChannelPacer(Clock clock, Duration interval, int burst, ChannelPaces shared) {
        this.shared = shared;
        this.clock = Objects.requireNonNull(clock, "clock");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        this.intervalNanos = interval.toNanos();
        this.burstToleranceNanos = (burst - 1) * intervalNanos;
        this.theoreticalArrival = Caffeine.newBuilder()
                .ticker(this::nowNanos)
                // Housekeeping is a few map operations; doing it on the caller keeps tests deterministic.
                .executor(Runnable::run)
                .maximumSize(MAX_CHANNELS)
                .expireAfter(new UntilIdle())
                .build();
        this.bookings = Caffeine.newBuilder()
                .ticker(this::nowNanos)
                .executor(Runnable::run)
                .maximumSize(MAX_BOOKINGS)
                .expireAfter(new UntilSlotPassed(BOOKING_GRACE.toNanos()))
                .build();
    }

    /**
     * Takes a slot for one call to {@code channel} if one is free now.
     *
     * @return empty when the call may go now (the slot is taken), otherwise the earliest instant it may go
     *     (nothing is taken; ask again then)
     */
    public Optional<Instant> reserve(String channel) {
        Objects.requireNonNull(channel, "channel");
        long now = nowNanos();
        if (shared != null) {
            return shared.decide(channel, null, state -> {
                long current = Math.max(state.arrivalNanos().orElse(now), now);
                long allowedAt = current - burstToleranceNanos;
                return now < allowedAt ? new ChannelPaces.Change<>(Optional.empty(), Optional.empty(), false,
                        Optional.of(toInstant(allowedAt)))
                        : new ChannelPaces.Change<>(Optional.of(current + intervalNanos), Optional.empty(), false,
                                Optional.<Instant>empty());
            });
        }
        long[] notBefore = {Long.MIN_VALUE};
        theoreticalArrival.asMap().compute(channel, (key, tat) -> {
            long current = tat == null ? now : Math.max(tat, now);
            long allowedAt = current - burstToleranceNanos;
            if (now < allowedAt) {
                notBefore[0] = allowedAt;
                return tat;
            }
            return current + intervalNanos;
        });
        return notBefore[0] == Long.MIN_VALUE ? Optional.empty() : Optional.of(toInstant(notBefore[0]));
    }

    /**
     * Takes a slot for the call named {@code key} (e.g. a post's once-only key) to {@code channel}: now if one is
     * free or the call's booked slot has come, otherwise books the next free slot for it (once; asking again
     * before then returns the same slot and books nothing).
     *
     * @return empty when the call may go now, otherwise the instant of its booked slot (come back then)
     */
    public Optional<Instant> reserve(String channel, String key) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(key, "key");
        long now = nowNanos();
        if (shared != null) {
            return shared.decide(channel, key, state -> reserveShared(state, now));
        }
        long[] answer = {Long.MIN_VALUE};
        bookings.asMap().compute(key, (ignored, booking) -> {
            if (booking != null && booking.channel().equals(channel)) {
                if (now >= booking.slotNanos()) {
                    return null; // its slot has come: go (the slot was taken from the bucket when booked)
                }
                answer[0] = booking.slotNanos();
                return booking;
            }
            long slot = book(channel, now);
            if (slot == Long.MIN_VALUE) {
                return null;
            }
            answer[0] = slot;
            return new Booking(channel, slot);
        });
        return answer[0] == Long.MIN_VALUE ? Optional.empty() : Optional.of(toInstant(answer[0]));
    }

    /** {@link #reserve(String, String)} on the state all replicas share: the same rule as the caches'. */
    private ChannelPaces.Change<Optional<Instant>> reserveShared(ChannelPaces.State state, long now) {
        Optional<Long> booked = state.bookedSlotNanos().filter(slot -> now < slot + BOOKING_GRACE.toNanos());
        if (booked.isPresent()) {
            return now >= booked.get() ? new ChannelPaces.Change<>(Optional.empty(), Optional.empty(), false,
                    Optional.empty())
                    : new ChannelPaces.Change<>(Optional.empty(), booked, false, Optional.of(toInstant(booked.get())));
        }
        long current = Math.max(state.arrivalNanos().orElse(now), now);
        long allowedAt = current - burstToleranceNanos;
        Optional<Long> arrival = Optional.of(current + intervalNanos);
        return now < allowedAt ? new ChannelPaces.Change<>(arrival, Optional.of(allowedAt), false,
                Optional.of(toInstant(allowedAt)))
                : new ChannelPaces.Change<>(arrival, Optional.empty(), false, Optional.empty());
    }

    /** Takes the slot now (returns MIN_VALUE) or the next free one in the future (returns it). */
    private long book(String channel, long now) {
        long[] slot = {Long.MIN_VALUE};
        theoreticalArrival.asMap().compute(channel, (ignored, tat) -> {
            long current = tat == null ? now : Math.max(tat, now);
            long allowedAt = current - burstToleranceNanos;
            if (now < allowedAt) {
                slot[0] = allowedAt;
            }
            return current + intervalNanos;
        });
        return slot[0];
    }

    /**
     * Holds {@code channel} back for {@code retryAfter} (Slack's {@code Retry-After} after a 429); afterwards
     * calls go one per interval until the bucket refills. A shorter penalty never shortens a longer one.
     */
    public void penalize(String channel, Duration retryAfter) {
        Objects.requireNonNull(channel, "channel");
        long now = nowNanos();
        long blockedUntil = now + Math.max(0, retryAfter.toNanos());
        long penalizedTat = blockedUntil + burstToleranceNanos;
        if (shared != null) {
            shared.decide(channel, null, state -> new ChannelPaces.Change<>(
                    Optional.of(Math.max(state.arrivalNanos().orElse(penalizedTat), penalizedTat)), Optional.empty(),
                    true, null));
            return;
        }
        theoreticalArrival.asMap().merge(channel, penalizedTat, Math::max);
        // Slots booked before Slack said "slow down" would all land inside the penalty: book them again after it.
        bookings.asMap().values().removeIf(booking -> booking.channel().equals(channel));
    }

    /**
     * Whether a post to {@code channel} would be held back now: its burst is used up (or Slack penalised it), so
     * posts queue for the pace. Takes nothing.
     */
    public boolean isBackedUp(String channel) {
        if (shared != null) {
            return shared.arrivalNanos(channel).map(tat -> nowNanos() < tat - burstToleranceNanos).orElse(false);
        }
        Long tat = theoreticalArrival.getIfPresent(Objects.requireNonNull(channel, "channel"));
        return tat != null && nowNanos() < tat - burstToleranceNanos;
    }

    /** Whether the call named {@code key} holds a booked slot (it was held back and told when to come back). */
    public boolean isBooked(String key) {
        Objects.requireNonNull(key, "key");
        return shared != null ? shared.isBooked(key) : bookings.getIfPresent(key) != null;
    }

    /** How many booked slots are waiting in this process (for tests and metrics; 0 when the pace is shared). */
    public long bookedSlots() {
        bookings.cleanUp();
        return bookings.estimatedSize();
    }

    Clock clock() {
        return clock;
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** A booking lives until a grace period after its slot. */
    private static final class UntilSlotPassed implements Expiry<String, Booking> {
        private final long graceNanos;

        UntilSlotPassed(long graceNanos) {
            this.graceNanos = graceNanos;
        }

        @Override
        public long expireAfterCreate(String key, Booking booking, long currentTime) {
            return Math.max(0, booking.slotNanos() - currentTime) + graceNanos;
        }

        @Override
        public long expireAfterUpdate(String key, Booking booking, long currentTime, long currentDuration) {
            return Math.max(0, booking.slotNanos() - currentTime) + graceNanos;
        }

        @Override
        public long expireAfterRead(String key, Booking booking, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    /** An entry whose arrival time has passed means a full bucket, the same as no entry: drop it then. */
    private static final class UntilIdle implements Expiry<String, Long> {
        @Override
        public long expireAfterCreate(String channel, Long tat, long currentTime) {
            return Math.max(0, tat - currentTime);
        }

        @Override
        public long expireAfterUpdate(String channel, Long tat, long currentTime, long currentDuration) {
            return Math.max(0, tat - currentTime);
        }

        @Override
        public long expireAfterRead(String channel, Long tat, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
