package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests for a second person in real SQLite: both names kept, one decision only, across a reopen. */
abstract class SecondPersonRequestsContract {
    /** The engine the subclass runs these tests on, made fresh for each test. */
    abstract EngineUnderTest engine();

    private EngineUnderTest engine;

    @BeforeEach
    void pickEngine() {
        engine = engine();
    }

    private final FakeClock clock = new FakeClock();

    @Test
    void aConfirmedRequest_keepsBothNames_acrossAReopen() {
        Instant now = clock.instant();
        try (Store store = engine.open(clock)) {
            store.secondPersons().save(pending("r1", now));
            assertThat(store.secondPersons().confirm("r1", "U0BOB", now.plusSeconds(60))).isTrue();
        }

        try (Store store = engine.open(clock)) {
            SecondPersonRequest found = store.secondPersons().find("r1").orElseThrow();
            assertThat(found.requestedBy()).isEqualTo("U0ALICE");
            assertThat(found.confirmedBy()).isEqualTo("U0BOB");
            assertThat(found.status()).isEqualTo(SecondPersonRequest.Status.CONFIRMED);
            assertThat(found.action()).isEqualTo(DeployAction.SKIP_REVERT);
            assertThat(found.ref()).isEqualTo(new DeployRef("acme", "shop", 7));
            assertThat(found.decidedAt()).isEqualTo(now.plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        }
    }

    @Test
    void onlyTheFirstDecisionWins() {
        Instant now = clock.instant();
        try (Store store = engine.open(clock)) {
            store.secondPersons().save(pending("r2", now));

            assertThat(store.secondPersons().confirm("r2", "U0BOB", now)).isTrue();
            assertThat(store.secondPersons().confirm("r2", "U0CAROL", now)).isFalse();
            assertThat(store.secondPersons().expire("r2", now)).isFalse();
            assertThat(store.secondPersons().find("r2").orElseThrow().confirmedBy()).isEqualTo("U0BOB");
        }
    }

    @Test
    void anExpiredRequest_cannotBeConfirmed() {
        Instant now = clock.instant();
        try (Store store = engine.open(clock)) {
            store.secondPersons().save(pending("r3", now));
            assertThat(store.secondPersons().find("r3").orElseThrow().isExpiredAt(now.plus(Duration.ofMinutes(31))))
                    .isTrue();

            assertThat(store.secondPersons().expire("r3", now)).isTrue();
            assertThat(store.secondPersons().confirm("r3", "U0BOB", now)).isFalse();
        }
    }

    private static SecondPersonRequest pending(String id, Instant now) {
        return new SecondPersonRequest(id, new DeployRef("acme", "shop", 7), DeployAction.SKIP_REVERT, "U0ALICE", now,
                now.plus(Duration.ofMinutes(30)), SecondPersonRequest.Status.PENDING, null, null);
    }
}
