package dev.cutover.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Remembers each user group's members for a while, so that a busy channel does not call
 * {@code usergroups.users.list} (rate-limited by Slack) on every button press. A failed lookup is not
 * remembered: the next check asks again.
 *
 * <p>Safe to share between threads; concurrent checks of one group wait for a single fetch.
 */
public final class CachingGroupMembers implements GroupMembers {
    private final GroupMembers source;
    private final Cache<String, Set<String>> members;

    /** @param ttl how long fetched members are trusted; e.g. five minutes */
    public CachingGroupMembers(GroupMembers source, Clock clock, Duration ttl) {
        this.source = Objects.requireNonNull(source, "source");
        Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the group cache ttl must be positive, got " + ttl);
        }
        this.members = Caffeine.newBuilder()
                .ticker(() -> nanos(clock.instant()))
                .expireAfterWrite(ttl)
                // Maintenance on the caller's thread keeps expiry deterministic under a fake clock.
                .executor(Runnable::run)
                .build();
    }

    /** @throws Exception what the source threw, when the group is not cached and cannot be fetched */
    @Override
    public Set<String> members(String groupId) throws Exception {
        try {
            return members.get(groupId, this::fetch);
        } catch (FetchFailed e) {
            throw e.failure;
        }
    }

    private Set<String> fetch(String groupId) {
        Set<String> fetched;
        try {
            fetched = source.members(groupId);
        } catch (Exception e) {
            throw new FetchFailed(e);
        }
        if (fetched == null) {
            throw new FetchFailed(new IllegalStateException("no members returned for user group " + groupId));
        }
        return Set.copyOf(fetched);
    }

    private static long nanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    /** Carries the source's checked exception out of Caffeine's mapping function. */
    private static final class FetchFailed extends RuntimeException {
        private final Exception failure;

        FetchFailed(Exception failure) {
            super(failure);
            this.failure = failure;
        }
    }
}
