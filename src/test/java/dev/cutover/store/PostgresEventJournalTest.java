package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The journal contract on PostgreSQL, plus what several replicas sharing it need: a claimed event is nobody
 * else's until its lease runs out, and one deploy request never has two events in flight.
 */
class PostgresEventJournalTest extends EventJournalContract {
    private final String database = TestPostgres.freshDatabase();

    @Override
    EngineUnderTest engine() {
        return EngineUnderTest.postgres(database);
    }

    /** A second replica on the same database (its own pool, its own name in claims). */
    private Store otherReplica() {
        return engine.open(clock);
    }

    @Test
    void anEventClaimedByOneReplica_isNotHandedToAnother_untilItsLeaseRunsOut() {
        try (Store other = otherReplica()) {
            journal.append(Events.queued("only-once"));

            assertThat(journal.due(clock.instant(), 10)).hasSize(1);
            assertThat(other.events().due(clock.instant(), 10)).isEmpty();

            clock.advance(Duration.ofSeconds(31)); // the claim lease of EngineUnderTest is 30 s
            assertThat(other.events().due(clock.instant(), 10)).extracting(e -> e.incoming().dedupeKey())
                    .containsExactly("only-once");
        }
    }

    @Test
    void oneDeployRequest_neverHasTwoEventsInFlight_acrossReplicas() {
        try (Store other = otherReplica()) {
            Instant now = clock.instant();
            journal.append(Events.forRequest("shop7-queued", 7, now));
            journal.append(Events.forRequest("shop7-in-progress", 7, now));
            journal.append(Events.forRequest("shop8-queued", 8, now));

            List<StoredEvent> mine = journal.due(now, 1);
            List<StoredEvent> theirs = other.events().due(now, 10);

            assertThat(mine).extracting(e -> e.incoming().dedupeKey()).containsExactly("shop7-queued");
            assertThat(theirs).extracting(e -> e.incoming().dedupeKey()).containsExactly("shop8-queued");
            other.events().markDone(theirs.get(0).id());
            assertThat(other.events().due(now, 10)).isEmpty();
            journal.markDone(mine.get(0).id());
            assertThat(other.events().due(now, 10)).extracting(e -> e.incoming().dedupeKey())
                    .containsExactly("shop7-in-progress");
        }
    }

    @Test
    void aLaterEventThatCommittedFirst_isHeldWhileItsDeployRequestHasAClaimedEvent() throws Exception {
        try (Store other = otherReplica()) {
            Instant now = clock.instant();
            journal.append(Events.forRequest("shop7-later", 7, now));
            assertThat(journal.due(now, 10)).hasSize(1);
            // An intake on another replica that took a lower id but committed after the claim.
            engine.execute("INSERT INTO event (id, dedupe_key, event, organization, database_name,"
                    + " deploy_request_number, received_at, next_attempt_at) OVERRIDING SYSTEM VALUE VALUES (0,"
                    + " 'shop7-earlier', 'deploy_request.queued', 'acme', 'shop', 7, 0, 0)");

            assertThat(other.events().due(now, 10)).isEmpty();
        }
    }

    @Test
    void releaseClaims_handsThisReplicasEventsToTheOthersAtOnce() {
        try (Store other = otherReplica()) {
            journal.append(Events.queued("handed-over"));
            assertThat(journal.due(clock.instant(), 10)).hasSize(1);

            journal.releaseClaims();

            assertThat(other.events().due(clock.instant(), 10)).extracting(e -> e.incoming().dedupeKey())
                    .containsExactly("handed-over");
        }
    }

    @Test
    void aRedeliveryThroughAnotherReplica_isADuplicate() {
        try (Store other = otherReplica()) {
            assertThat(journal.append(Events.queued("same-key"))).isEqualTo(AppendResult.APPENDED);
            assertThat(other.events().append(Events.queued("same-key"))).isEqualTo(AppendResult.DUPLICATE);
            assertThat(other.events().pendingCount()).isEqualTo(1);
        }
    }
}
