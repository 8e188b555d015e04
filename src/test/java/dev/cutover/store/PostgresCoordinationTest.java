package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.slack.ChannelPacer;
import dev.cutover.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two replicas' stores on one PostgreSQL database: leases, locks and the Slack pace they share. */
class PostgresCoordinationTest {
    private final FakeClock clock = new FakeClock();
    private Store first;
    private Store second;

    @BeforeEach
    void open() {
        EngineUnderTest engine = EngineUnderTest.postgres();
        first = engine.open(clock);
        second = engine.open(clock);
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
    }

    @Test
    void aLease_isHeldByOneReplica_renewedByIt_andTakenOverOnlyOnceItExpires() {
        Duration period = Duration.ofSeconds(10);

        assertThat(first.leases().hold("jobs", "a", period)).isTrue();
        assertThat(second.leases().hold("jobs", "b", period)).isFalse();
        clock.advance(Duration.ofSeconds(6));
        assertThat(first.leases().hold("jobs", "a", period)).isTrue(); // renewed: now until +16 s
        clock.advance(Duration.ofSeconds(6));
        assertThat(second.leases().hold("jobs", "b", period)).isFalse();
        clock.advance(Duration.ofSeconds(5));
        assertThat(second.leases().hold("jobs", "b", period)).isTrue();
        assertThat(first.leases().hold("jobs", "a", period)).isFalse();
    }

    @Test
    void aReleasedLease_isTakenAtOnce() {
        assertThat(first.leases().hold("jobs", "a", Duration.ofMinutes(1))).isTrue();

        first.leases().release("jobs", "a");

        assertThat(second.leases().hold("jobs", "b", Duration.ofMinutes(1))).isTrue();
    }

    @Test
    @Timeout(30)
    void aDeployRequestLock_letsOneReplicaAtATimeIn() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Store store = i % 2 == 0 ? first : second;
            done.add(pool.submit(() -> {
                start.await();
                return store.locks().holding("acme/shop#7", () -> {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inside.decrementAndGet();
                    return null;
                });
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();

        assertThat(mostInside.get()).isEqualTo(1);
    }

    @Test
    void theSlackPace_isOneBucketPerChannelForAllReplicas() {
        ChannelPacer onFirst = ChannelPacer.forStore(clock, first.sharedPaces());
        ChannelPacer onSecond = ChannelPacer.forStore(clock, second.sharedPaces());

        int wentNow = 0;
        for (int i = 0; i < 10; i++) {
            ChannelPacer pacer = i % 2 == 0 ? onFirst : onSecond;
            if (pacer.reserve("C1", "post-" + i).isEmpty()) {
                wentNow++;
            }
        }

        // A burst of five across both replicas, not five each; the rest are booked one a second after it.
        assertThat(wentNow).isEqualTo(ChannelPacer.SLACK_BURST);
        assertThat(onSecond.isBackedUp("C1")).isTrue();
        assertThat(onFirst.isBooked("post-5")).isTrue();
        Optional<Instant> slot = onSecond.reserve("C1", "post-5");
        assertThat(slot).isPresent();
        clock.advance(Duration.between(clock.instant(), slot.get()));
        // Its booked slot is honoured by the other replica too.
        assertThat(onSecond.reserve("C1", "post-5")).isEmpty();
        assertThat(onFirst.reserve("C2", "elsewhere")).isEmpty();
    }
}
