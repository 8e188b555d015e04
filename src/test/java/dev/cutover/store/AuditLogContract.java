package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit record and login states, on every engine with the production migrations (one subclass per engine). */
abstract class AuditLogContract {
    /** The engine the subclass runs these tests on, made fresh for each test. */
    abstract EngineUnderTest engine();

    private EngineUnderTest engine;

    @BeforeEach
    void pickEngine() {
        engine = engine();
    }

    private final FakeClock clock = new FakeClock();

    @Test
    void entries_surviveARestart_newestFirst_andRetentionDropsOnlyTheOldOnes() {
        Instant start = clock.instant();
        try (Store store = engine.open(clock)) {
            store.audit().append(entry(start, 3, "done"));
            store.audit().append(entry(start.plus(Duration.ofDays(10)), 4, "denied"));
        }

        try (Store store = engine.open(clock)) {
            assertThat(store.audit().recent("shop", Optional.empty(), Long.MAX_VALUE, 10))
                    .extracting(AuditEntry::outcome).containsExactly("denied", "done");
            assertThat(store.audit().recent("shop", Optional.of(3), Long.MAX_VALUE, 10)).hasSize(1);

            int purged = store.audit().purgeBefore(start.plus(Duration.ofDays(5)));

            assertThat(purged).isEqualTo(1);
            assertThat(store.audit().recent("shop", Optional.empty(), Long.MAX_VALUE, 10))
                    .extracting(AuditEntry::number).containsExactly(4);
        }
    }

    @Test
    void loginState_isTakenOnce_onlyByItsUser_andNotAfterItExpires() {
        Instant now = clock.instant();
        try (Store store = engine.open(clock)) {
            LinkedAccounts accounts = store.linkedAccounts();
            accounts.rememberLoginState("n1", "T1", "U1", now.plusSeconds(600));
            accounts.rememberLoginState("n2", "T1", "U1", now.plusSeconds(600));
            accounts.rememberLoginState("n3", "T1", "U1", now.plusSeconds(60));

            assertThat(accounts.takeLoginState("n1", "T1", "U1", now)).isTrue();
            assertThat(accounts.takeLoginState("n1", "T1", "U1", now)).isFalse();
            assertThat(accounts.takeLoginState("n2", "T1", "U2", now)).isFalse();
            assertThat(accounts.takeLoginState("n2", "T1", "U1", now)).isFalse(); // burnt by the wrong user's try
            assertThat(accounts.takeLoginState("n3", "T1", "U1", now.plusSeconds(61))).isFalse();
        }
    }

    private static AuditEntry entry(Instant at, int number, String outcome) {
        return new AuditEntry(0, at, "T1", "U1", "service_token", null, "acme", "shop", number, "deploy",
                "default: allow", null, null, outcome, null);
    }
}
