package dev.cutover.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
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
 */
public final class ChannelPacer {
    /** Far more channels than one workspace bot posts to; losing pacing for the oldest is harmless. */
    private static final long MAX_CHANNELS = 10_000;

    private final Clock clock;
    private final long intervalNanos;
    private final long burstToleranceNanos;
    /**
     * Per channel, the "theoretical arrival time" of the generic cell rate algorithm, in epoch nanoseconds:
     * a call may go when {@code now >= tat - (burst - 1) * interval}. This is a token bucket stored as one
     * number, so the read-modify-write is a single atomic {@code compute}.
     */
    private final Cache<String, Long> theoreticalArrival;

    /**
     * @param interval the steady pace per channel (Slack: 1 s)
     * @param burst how many calls may go back to back on an idle channel (at least 1)
     */
    public ChannelPacer(Clock clock, Duration interval, int burst) {
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
     * Holds {@code channel} back for {@code retryAfter} (Slack's {@code Retry-After} after a 429); afterwards
     * calls go one per interval until the bucket refills. A shorter penalty never shortens a longer one.
     */
    public void penalize(String channel, Duration retryAfter) {
        Objects.requireNonNull(channel, "channel");
        long now = nowNanos();
        long blockedUntil = now + Math.max(0, retryAfter.toNanos());
        long penalizedTat = blockedUntil + burstToleranceNanos;
        theoreticalArrival.asMap().merge(channel, penalizedTat, Math::max);
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
