package dev.cutover.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ChannelPacerProperties {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @Property
    void neverGrantsMoreThanBurstPlusOnePerInterval(
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 1500) Integer> pausesMillis,
            @ForAll @IntRange(min = 1, max = 5) int burst) {
        FakeClock clock = new FakeClock();
        ChannelPacer pacer = new ChannelPacer(clock, INTERVAL, burst);
        List<Instant> granted = new ArrayList<>();

        for (int pause : pausesMillis) {
            clock.advance(Duration.ofMillis(pause));
            if (pacer.reserve("C1").isEmpty()) {
                granted.add(clock.instant());
            }
        }

        for (int first = 0; first < granted.size(); first++) {
            for (int last = first; last < granted.size(); last++) {
                long elapsedIntervals = Duration.between(granted.get(first), granted.get(last)).toMillis()
                        / INTERVAL.toMillis();
                assertThat(last - first + 1).isLessThanOrEqualTo(burst + (int) elapsedIntervals);
            }
        }
    }

    @Property
    void theNamedInstant_isWhenTheCallMayGo(
            @ForAll @Size(max = 50) List<@IntRange(min = 0, max = 1500) Integer> pausesMillis,
            @ForAll @IntRange(min = 0, max = 30) int penaltySeconds) {
        FakeClock clock = new FakeClock();
        ChannelPacer pacer = new ChannelPacer(clock, INTERVAL, 3);
        pacer.penalize("C1", Duration.ofSeconds(penaltySeconds));

        for (int pause : pausesMillis) {
            clock.advance(Duration.ofMillis(pause));
            Optional<Instant> notBefore = pacer.reserve("C1");
            if (notBefore.isPresent()) {
                assertThat(notBefore.get()).isAfter(clock.instant());
                clock.set(notBefore.get());
                assertThat(pacer.reserve("C1")).isEmpty();
            }
        }
    }
}
