package dev.cutover.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * Slack could not take a message now; the whole event is tried again later (after Slack's own
 * {@code Retry-After} when it gave one, else after an exponential backoff).
 */
final class RetryLater extends Exception {
    private final transient Optional<Duration> retryAfter;
    private final boolean pacing;

    /** @param pacing held back by our own per-channel pace rather than by a failure */
    RetryLater(String reason, Optional<Duration> retryAfter, boolean pacing) {
        super(reason);
        this.retryAfter = retryAfter;
        this.pacing = pacing;
    }

    boolean isPacing() {
        return pacing;
    }

    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
