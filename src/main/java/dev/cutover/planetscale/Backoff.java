package dev.cutover.planetscale;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before retrying a read: the server's {@code Retry-After} when it sends one, else
 * 200 ms × 2<sup>n</sup> with jitter so that many clients do not retry in step; never more than 5 s.
 */
final class Backoff {
    static final Duration BASE = Duration.ofMillis(200);
    static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private final Clock clock;
    private final DoubleSupplier random;

    Backoff(Clock clock) {
        this(clock, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random values in [0, 1), the jitter source */
    Backoff(Clock clock, DoubleSupplier random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * @param retry 0 before the first retry, 1 before the second, …
     * @param retryAfter the {@code Retry-After} header (delta-seconds or HTTP-date), or null
     */
    Duration waitBefore(int retry, String retryAfter) {
        Duration wait = retryAfter(retryAfter);
        if (wait == null) {
            // "Equal jitter": half the exponential delay is fixed, the other half random.
            long exponential = BASE.toMillis() << Math.min(retry, 10);
            wait = Duration.ofMillis(exponential / 2 + (long) (random.getAsDouble() * (exponential / 2)));
        }
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    /** The wait a {@code Retry-After} asks for, or null when the header is absent or unreadable. */
    private Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException tooLarge) {
                return MAX_WAIT;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
