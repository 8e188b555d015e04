package dev.cutover.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.store.IncomingEvent;
import dev.cutover.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbox loop alone: an in-memory journal, a delivery that records or fails as told, a fake clock. */
class OutboxTest {
    final FakeClock clock = new FakeClock();
    final InMemoryEventJournal journal = new InMemoryEventJournal();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ExecutorService lanes = Executors.newFixedThreadPool(4);
    final List<String> delivered = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        lanes.shutdownNow();
    }

    @Test
    void eventsOfOneDeployRequest_areDeliveredInOrder_oneAtATime() {
        Outbox outbox = outbox(event -> delivered.add(event.dedupeKey()));
        append("a1", 7);
        append("a2", 7);
        append("b1", 8);

        int first = outbox.runOnce();
        int second = outbox.runOnce();

        assertThat(first).isEqualTo(2);
        assertThat(second).isEqualTo(1);
        assertThat(delivered).containsExactlyInAnyOrder("a1", "b1", "a2");
        assertThat(delivered.indexOf("a1")).isLessThan(delivered.indexOf("a2"));
        assertThat(journal.pendingCount()).isZero();
    }

    @Test
    void slackFailure_isRetriedAfterABackoff_thatDoublesUpToFiveMinutes() {
        int[] calls = {0};
        Outbox outbox = outbox(event -> {
            if (calls[0]++ < 2) {
                throw new RetryLater("slack: internal_error", Optional.empty(), false);
            }
            delivered.add(event.dedupeKey());
        });
        append("a1", 7);

        outbox.runOnce();
        outbox.runOnce(); // not due yet: nothing happens
        clock.advance(Duration.ofSeconds(1));
        outbox.runOnce(); // second failure: the next wait is 2 s
        clock.advance(Duration.ofSeconds(1));
        int early = outbox.runOnce();
        clock.advance(Duration.ofSeconds(1));
        outbox.runOnce();

        assertThat(calls[0]).isEqualTo(3);
        assertThat(early).isZero();
        assertThat(delivered).containsExactly("a1");
        assertThat(Outbox.backoff(20)).isEqualTo(Outbox.MAX_BACKOFF);
    }

    @Test
    void slacksRetryAfter_isHonoured() {
        Outbox outbox = outbox(event -> {
            if (delivered.isEmpty()) {
                delivered.add("refused");
                throw new RetryLater("slack: ratelimited", Optional.of(Duration.ofSeconds(30)), false);
            }
            delivered.add(event.dedupeKey());
        });
        append("a1", 7);

        outbox.runOnce();
        clock.advance(Duration.ofSeconds(29));
        outbox.runOnce();
        clock.advance(Duration.ofSeconds(1));
        outbox.runOnce();

        assertThat(delivered).containsExactly("refused", "a1");
    }

    @Test
    void waitingForThePace_neverUsesUpAttempts() {
        Outbox outbox = outbox(event -> {
            throw new RetryLater("slack: paced", Optional.of(Duration.ofSeconds(1)), true);
        });
        append("a1", 7);

        for (int i = 0; i < Outbox.MAX_ATTEMPTS + 5; i++) {
            outbox.runOnce();
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(journal.row(1).status).isEqualTo(InMemoryEventJournal.Status.PENDING);
        assertThat(journal.row(1).attempts).isZero();
    }

    @Test
    void afterSixtyRealFailures_theEventIsSetAside_andTheNextOneGoesOn() {
        Outbox outbox = outbox(event -> {
            if (event.dedupeKey().equals("a1")) {
                throw new RetryLater("slack: internal_error", Optional.of(Duration.ofSeconds(1)), false);
            }
            delivered.add(event.dedupeKey());
        });
        append("a1", 7);
        append("a2", 7);

        for (int i = 0; i < Outbox.MAX_ATTEMPTS + 1; i++) {
            outbox.runOnce();
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(journal.row(1).status).isEqualTo(InMemoryEventJournal.Status.FAILED);
        assertThat(delivered).containsExactly("a2");
    }

    @Test
    void aPoisonedEvent_isSetAsideAtOnce_insteadOfBlockingItsDeployRequest() {
        Outbox outbox = outbox(event -> {
            if (event.dedupeKey().equals("a1")) {
                throw new IllegalArgumentException("stored event is unreadable");
            }
            delivered.add(event.dedupeKey());
        });
        append("a1", 7);
        append("a2", 7);

        outbox.runOnce();
        outbox.runOnce();

        assertThat(journal.row(1).status).isEqualTo(InMemoryEventJournal.Status.FAILED);
        assertThat(delivered).containsExactly("a2");
        assertThat(registry.get("cutover.deliveries").tag("outcome", "failed").counter().count()).isEqualTo(1);
    }

    private Outbox outbox(Delivery delivery) {
        return new Outbox(journal, delivery, clock, lanes, Thread::new, registry);
    }

    private void append(String key, int number) {
        journal.append(new IncomingEvent(key, "deploy_request.queued", "acme", "shop", number, clock.instant(),
                clock.instant(), "{}"));
    }
}
