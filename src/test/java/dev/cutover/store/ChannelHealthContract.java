package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every engine's ChannelHealth must do; one subclass per engine runs it. */
abstract class ChannelHealthContract {
    /** The engine the subclass runs these tests on, made fresh for each test. */
    abstract EngineUnderTest engine();

    EngineUnderTest engine;

    final FakeClock clock = new FakeClock();
    Store store;
    private ChannelHealth health;

    @BeforeEach
    void open() {
        engine = engine();
        store = engine.open(clock);
        health = store.channelHealth();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void healthyChannel_hasNoProblem() {
        assertThat(health.problem("C1")).isEmpty();
    }

    @Test
    void recordFailure_isReportedForThatChannelOnly() {
        health.recordFailure("C1", "not_in_channel", clock.instant());

        assertThat(health.problem("C1")).contains(new ChannelProblem("C1", "not_in_channel", clock.instant()));
        assertThat(health.problem("C2")).isEmpty();
    }

    @Test
    void laterFailure_replacesTheEarlierOne() {
        health.recordFailure("C1", "not_in_channel", clock.instant());
        clock.advance(Duration.ofHours(1));

        health.recordFailure("C1", "channel_not_found", clock.instant());

        assertThat(health.problem("C1")).contains(new ChannelProblem("C1", "channel_not_found", clock.instant()));
    }

    @Test
    void clear_forgetsTheProblem() {
        health.recordFailure("C1", "not_in_channel", clock.instant());

        health.clear("C1");

        assertThat(health.problem("C1")).isEmpty();
    }
}
