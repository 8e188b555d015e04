package dev.cutover.planetscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void withoutRetryAfter_doublesFromTwoHundredMillisWithJitter() {
        Backoff low = new Backoff(clock, () -> 0.0);
        Backoff high = new Backoff(clock, () -> 0.999_999);

        assertThat(low.waitBefore(0, null)).isEqualTo(Duration.ofMillis(100));
        assertThat(high.waitBefore(0, null)).isEqualTo(Duration.ofMillis(199));
        assertThat(low.waitBefore(1, null)).isEqualTo(Duration.ofMillis(200));
        assertThat(high.waitBefore(1, null)).isEqualTo(Duration.ofMillis(399));
    }

    @Test
    void waits_neverExceedFiveSeconds() {
        Backoff backoff = new Backoff(clock, () -> 0.999_999);

        assertThat(backoff.waitBefore(8, null)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.waitBefore(40, null)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.waitBefore(0, "99999999999999999999999")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void retryAfterSeconds_replacesTheBackoff() {
        Backoff backoff = new Backoff(clock, () -> 0.5);

        assertThat(backoff.waitBefore(1, "0")).isEqualTo(Duration.ZERO);
        assertThat(backoff.waitBefore(1, " 3 ")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterDateInThePast_meansNoWait() {
        Backoff backoff = new Backoff(clock, () -> 0.5);

        assertThat(backoff.waitBefore(0, "Sat, 21 Nov 2026 11:59:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(backoff.waitBefore(0, "Sat, 21 Nov 2026 12:00:04 GMT")).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void unreadableRetryAfter_fallsBackToTheBackoff() {
        Backoff backoff = new Backoff(clock, () -> 0.0);

        assertThat(backoff.waitBefore(0, "soon")).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.waitBefore(0, "-3")).isEqualTo(Duration.ofMillis(100));
    }
}
