package dev.cutover.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ChannelPacerTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final FakeClock clock = new FakeClock();
    private final ChannelPacer pacer = new ChannelPacer(clock, SECOND, 3);

    @Test
    void idleChannel_allowsBurst_thenNamesTheNextSlot() {
        Instant start = clock.instant();

        List<Optional<Instant>> answers = List.of(pacer.reserve("C1"), pacer.reserve("C1"), pacer.reserve("C1"),
                pacer.reserve("C1"));

        assertThat(answers.subList(0, 3)).allMatch(Optional::isEmpty);
        assertThat(answers.get(3)).contains(start.plus(SECOND));
    }

    @Test
    void afterBurst_oneCallPerInterval() {
        drain("C1");

        clock.advance(SECOND);
        Optional<Instant> first = pacer.reserve("C1");
        Optional<Instant> second = pacer.reserve("C1");

        assertThat(first).isEmpty();
        assertThat(second).contains(clock.instant().plus(SECOND));
    }

    @Test
    void refusedReservation_takesNoSlot() {
        drain("C1");
        pacer.reserve("C1");
        pacer.reserve("C1");

        clock.advance(SECOND);

        assertThat(pacer.reserve("C1")).isEmpty();
    }

    @Test
    void partOfAnInterval_isNotEnough() {
        drain("C1");

        clock.advance(Duration.ofMillis(999));

        assertThat(pacer.reserve("C1")).contains(clock.instant().plus(Duration.ofMillis(1)));
    }

    @Test
    void idleChannel_refillsTheWholeBurst() {
        drain("C1");

        clock.advance(SECOND.multipliedBy(3));

        assertThat(List.of(pacer.reserve("C1"), pacer.reserve("C1"), pacer.reserve("C1")))
                .allMatch(Optional::isEmpty);
        assertThat(pacer.reserve("C1")).isPresent();
    }

    @Test
    void channels_arePacedIndependently() {
        drain("C1");

        Optional<Instant> other = pacer.reserve("C2");

        assertThat(other).isEmpty();
        assertThat(pacer.reserve("C1")).isPresent();
    }

    @Test
    void penalty_holdsAnIdleChannelForRetryAfter() {
        Instant start = clock.instant();

        pacer.penalize("C1", Duration.ofSeconds(7));

        assertThat(pacer.reserve("C1")).contains(start.plusSeconds(7));
        clock.advance(Duration.ofSeconds(6));
        assertThat(pacer.reserve("C1")).contains(start.plusSeconds(7));
    }

    @Test
    void afterPenalty_callsGoOnePerInterval_notAsABurst() {
        pacer.penalize("C1", Duration.ofSeconds(7));

        clock.advance(Duration.ofSeconds(7));
        Optional<Instant> first = pacer.reserve("C1");
        Optional<Instant> second = pacer.reserve("C1");

        assertThat(first).isEmpty();
        assertThat(second).contains(clock.instant().plus(SECOND));
    }

    @Test
    void shorterPenalty_doesNotShortenALongerOne() {
        Instant start = clock.instant();
        pacer.penalize("C1", Duration.ofSeconds(30));

        pacer.penalize("C1", Duration.ofSeconds(2));

        assertThat(pacer.reserve("C1")).contains(start.plusSeconds(30));
    }

    @Test
    void penalty_appliesOnlyToItsChannel() {
        pacer.penalize("C1", Duration.ofSeconds(30));

        assertThat(pacer.reserve("C2")).isEmpty();
    }

    @Test
    void burstOfOne_pacesFromTheFirstCall() {
        ChannelPacer strict = new ChannelPacer(clock, SECOND, 1);

        assertThat(strict.reserve("C1")).isEmpty();
        assertThat(strict.reserve("C1")).contains(clock.instant().plus(SECOND));
    }

    @Test
    void badSettings_areRejected() {
        assertThatThrownBy(() -> new ChannelPacer(clock, Duration.ZERO, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelPacer(clock, SECOND, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(10)
    void concurrentReservations_grantExactlyTheBurst() throws Exception {
        ChannelPacer shared = new ChannelPacer(clock, SECOND, 5);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                tasks.add(() -> shared.reserve("C1").isEmpty());
            }

            long granted = 0;
            for (Future<Boolean> result : threads.invokeAll(tasks)) {
                granted += result.get() ? 1 : 0;
            }

            assertThat(granted).isEqualTo(5);
        } finally {
            threads.shutdownNow();
        }
    }

    private void drain(String channel) {
        while (pacer.reserve(channel).isEmpty()) {
            // take every free slot at the current instant
        }
    }

    @Test
    void heldBackCalls_areEachBookedTheirOwnSlot_onePerInterval() {
        drain("C1");
        Instant start = clock.instant();

        Optional<Instant> a = pacer.reserve("C1", "post-a");
        Optional<Instant> b = pacer.reserve("C1", "post-b");
        Optional<Instant> c = pacer.reserve("C1", "post-c");

        assertThat(a).contains(start.plus(SECOND));
        assertThat(b).contains(start.plus(SECOND.multipliedBy(2)));
        assertThat(c).contains(start.plus(SECOND.multipliedBy(3)));
        assertThat(pacer.bookedSlots()).isEqualTo(3);
    }

    @Test
    void askingAgainBeforeTheSlot_returnsTheSameSlot_andBooksNothingMore() {
        drain("C1");
        Optional<Instant> first = pacer.reserve("C1", "post-a");

        clock.advance(Duration.ofMillis(400));
        Optional<Instant> again = pacer.reserve("C1", "post-a");

        assertThat(again).isEqualTo(first);
        assertThat(pacer.reserve("C1", "post-b")).contains(first.orElseThrow().plus(SECOND));
    }

    @Test
    void bookedCall_goesAtItsSlot_evenIfOthersAskedFirst() {
        drain("C1");
        Instant slot = pacer.reserve("C1", "post-a").orElseThrow();

        clock.advance(SECOND);
        Optional<Instant> other = pacer.reserve("C1", "post-b");
        Optional<Instant> booked = pacer.reserve("C1", "post-a");

        assertThat(clock.instant()).isEqualTo(slot);
        assertThat(other).isPresent();
        assertThat(booked).isEmpty();
        assertThat(pacer.isBooked("post-a")).isFalse();
    }

    @Test
    void unusedBooking_expiresAMinuteAfterItsSlot_andCostsOnlyThatSlot() {
        drain("C1");
        pacer.reserve("C1", "abandoned");

        clock.advance(Duration.ofSeconds(62));

        assertThat(pacer.isBooked("abandoned")).isFalse();
        assertThat(pacer.bookedSlots()).isZero();
        assertThat(pacer.reserve("C1", "fresh")).isEmpty();
    }

    @Test
    void penalty_dropsTheChannelsBookings_soTheyBookAgainAfterIt() {
        drain("C1");
        pacer.reserve("C1", "post-a");
        pacer.reserve("C2", "post-other-channel");

        pacer.penalize("C1", Duration.ofSeconds(30));

        assertThat(pacer.isBooked("post-a")).isFalse();
        assertThat(pacer.isBooked("post-other-channel")).isFalse(); // C2 had a free slot: it went, nothing booked
        assertThat(pacer.reserve("C1", "post-a").orElseThrow()).isAfterOrEqualTo(clock.instant().plusSeconds(30));
    }

    @Test
    void backedUp_onlyOnceTheBurstIsUsed() {
        assertThat(pacer.isBackedUp("C1")).isFalse();

        drain("C1");

        assertThat(pacer.isBackedUp("C1")).isTrue();
        assertThat(pacer.isBackedUp("C2")).isFalse();
    }
}
