package dev.cutover.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * Slack could not take a message now; the whole event is tried again later (after Slack's own
 * {@code Retry-After} when it gave one, else after an exponential backoff).
 */
final class RetryLater extends Exception {
    private final transient Optional<Duration> retryAfter;

    RetryLater(String reason, Optional<Duration> retryAfter) {
        super(reason);
        this.retryAfter = retryAfter;
    }

    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
