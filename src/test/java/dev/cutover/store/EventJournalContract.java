package dev.cutover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.testing.FakeClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every engine's EventJournal must do; one subclass per engine runs it. */
abstract class EventJournalContract {
    /** The engine the subclass runs these tests on, made fresh for each test. */
    abstract EngineUnderTest engine();

    EngineUnderTest engine;

    final FakeClock clock = new FakeClock();
    Store store;
    EventJournal journal;

    @BeforeEach
    void open() {
        engine = engine();
        store = engine.open(clock);
        journal = store.events();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void appendedEvent_isDueWithEveryField() {
        IncomingEvent event = Events.queued("key-1");

        AppendResult result = journal.append(event);

        assertThat(result).isEqualTo(AppendResult.APPENDED);
        List<StoredEvent> due = journal.due(clock.instant(), 10);
        assertThat(due).hasSize(1);
        assertThat(due.get(0).incoming()).isEqualTo(event);
        assertThat(due.get(0).attempts()).isZero();
        assertThat(due.get(0).lastError()).isNull();
    }

    @Test
    void appendedEvent_keepsNullNumberAndUpdatedAt() {
        IncomingEvent branchEvent = new IncomingEvent("key-2", "branch.ready", "acme", "shop", null, null,
                clock.instant(), "{}");

        journal.append(branchEvent);

        assertThat(journal.due(clock.instant(), 10)).extracting(StoredEvent::incoming).containsExactly(branchEvent);
    }

    @Test
    void markDone_removesTheEventFromDueAndDropsItsBody() throws Exception {
        journal.append(Events.queued("key-1"));
        long id = journal.due(clock.instant(), 10).get(0).id();

        journal.markDone(id);

        assertThat(journal.due(clock.instant(), 10)).isEmpty();
        assertThat(journal.pendingCount()).isZero();
        assertThat(engine.queryStrings("SELECT status || ':' || coalesce(body, '-') FROM event"))
                .containsExactly("done:-");
    }

    @Test
    void duplicateDedupeKey_returnsDuplicateAndWritesNoRow() throws Exception {
        journal.append(Events.queued("same-key"));

        AppendResult second = journal.append(Events.event("same-key", clock.instant().plusSeconds(5)));

        assertThat(second).isEqualTo(AppendResult.DUPLICATE);
        assertThat(engine.queryLong("SELECT count(*) FROM event")).isEqualTo(1);
    }

    @Test
    void duplicateDedupeKey_ofADoneEvent_isStillDuplicate() {
        journal.append(Events.queued("same-key"));
        journal.markDone(journal.due(clock.instant(), 1).get(0).id());

        AppendResult retried = journal.append(Events.queued("same-key"));

        assertThat(retried).isEqualTo(AppendResult.DUPLICATE);
        assertThat(journal.pendingCount()).isZero();
    }

    @Test
    @Timeout(60)
    void concurrentAppends_fromEightThreads_areAllDurableAndCountedExactly() throws Exception {
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> appended = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Callable<Integer> appender = () -> {
                int count = 0;
                for (int i = 0; i < perThread; i++) {
                    if (journal.append(Events.queued("t" + thread + "-" + i)) == AppendResult.APPENDED) {
                        count++;
                    }
                    // Every fifth event arrives twice, as PlanetScale retries do.
                    if (i % 5 == 0 && journal.append(Events.queued("t" + thread + "-" + i)) == AppendResult.APPENDED) {
                        count++;
                    }
                }
                return count;
            };
            appended.add(pool.submit(appender));
        }
        int total = 0;
        for (Future<Integer> future : appended) {
            total += future.get();
        }
        pool.shutdown();

        store.close();
        store = engine.open(clock);
        journal = store.events();

        assertThat(total).isEqualTo(threads * perThread);
        assertThat(journal.pendingCount()).isEqualTo(threads * perThread);
        assertThat(engine.queryLong("SELECT count(DISTINCT dedupe_key) FROM event"))
                .isEqualTo(threads * perThread);
    }

    @Test
    void retryLater_hidesTheEventUntilItsTime() {
        journal.append(Events.queued("key-1"));
        long id = journal.due(clock.instant(), 10).get(0).id();

        journal.retryLater(id, clock.instant().plus(Duration.ofMinutes(1)), "slack said ratelimited");

        assertThat(journal.due(clock.instant(), 10)).isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(journal.due(clock.instant(), 10)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        List<StoredEvent> due = journal.due(clock.instant(), 10);
        assertThat(due).extracting(StoredEvent::id).containsExactly(id);
        assertThat(due.get(0).attempts()).isEqualTo(1);
        assertThat(due.get(0).lastError()).isEqualTo("slack said ratelimited");
        assertThat(journal.pendingCount()).isEqualTo(1);
    }

    @Test
    void due_listsEventsInArrivalOrder_notByReceivedAt() {
        Instant now = clock.instant();
        journal.append(Events.event("first", now));
        journal.append(Events.event("second", now.minusSeconds(30)));
        journal.append(Events.event("third", now.minusSeconds(10)));

        List<StoredEvent> due = journal.due(now, 10);

        assertThat(due).extracting(event -> event.incoming().dedupeKey()).containsExactly("first", "second", "third");
        assertThat(due).extracting(StoredEvent::id).isSorted();
    }

    @Test
    void due_holdsBackALaterEventOfTheSameDeployRequest_whileAnEarlierOneWaitsForARetry() {
        Instant now = clock.instant();
        journal.append(Events.forRequest("shop7-queued", 7, now));
        journal.append(Events.forRequest("shop7-in-progress", 7, now));
        journal.append(Events.forRequest("shop8-queued", 8, now));
        long first = journal.due(now, 10).get(0).id();

        journal.retryLater(first, now.plusSeconds(30), "slack said ratelimited");

        assertThat(journal.due(now, 10)).extracting(event -> event.incoming().dedupeKey())
                .containsExactly("shop8-queued");
        clock.advance(Duration.ofSeconds(30));
        assertThat(journal.due(clock.instant(), 10)).extracting(event -> event.incoming().dedupeKey())
                .containsExactly("shop7-queued", "shop8-queued");
        journal.markDone(first);
        assertThat(journal.due(clock.instant(), 10)).extracting(event -> event.incoming().dedupeKey())
                .containsExactly("shop7-in-progress", "shop8-queued");
    }

    @Test
    void postpone_hidesTheEventUntilItsTime_withoutCountingAnAttempt() {
        journal.append(Events.queued("paced"));
        long id = journal.due(clock.instant(), 10).get(0).id();

        for (int i = 0; i < 100; i++) {
            journal.postpone(id, clock.instant().plusSeconds(1));
        }

        assertThat(journal.due(clock.instant(), 10)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(journal.due(clock.instant(), 10)).singleElement()
                .satisfies(event -> assertThat(event.attempts()).isZero());
    }

    @Test
    void due_honoursTheLimit() {
        for (int i = 0; i < 5; i++) {
            journal.append(Events.queued("key-" + i));
        }

        List<StoredEvent> due = journal.due(clock.instant(), 2);

        assertThat(due).extracting(event -> event.incoming().dedupeKey()).containsExactly("key-0", "key-1");
    }

    @Test
    void due_skipsEventsReceivedInTheFuture() {
        journal.append(Events.event("later", clock.instant().plusSeconds(1)));

        assertThat(journal.due(clock.instant(), 10)).isEmpty();
    }

    @Test
    void markFailed_keepsTheEventAndItsBodyButNeverDeliversItAgain() throws Exception {
        journal.append(Events.queued("key-1"));
        long id = journal.due(clock.instant(), 10).get(0).id();

        journal.markFailed(id, "channel_not_found");

        assertThat(journal.due(clock.instant().plus(Duration.ofDays(1)), 10)).isEmpty();
        assertThat(journal.pendingCount()).isZero();
        assertThat(engine.queryStrings("SELECT status || ' ' || attempts || ' ' || last_error"
                + " || ' ' || length(body) FROM event")).singleElement().asString()
                .startsWith("failed 1 channel_not_found ").doesNotEndWith(" ");
    }

    @Test
    void markDone_afterMarkFailed_changesNothing() throws Exception {
        journal.append(Events.queued("key-1"));
        long id = journal.due(clock.instant(), 10).get(0).id();
        journal.markFailed(id, "gave up");

        journal.markDone(id);

        assertThat(engine.queryStrings("SELECT status FROM event")).containsExactly("failed");
    }

    @Test
    void longErrors_areCutShort() throws Exception {
        journal.append(Events.queued("key-1"));
        long id = journal.due(clock.instant(), 10).get(0).id();

        journal.retryLater(id, clock.instant(), "x".repeat(10_000));

        assertThat(journal.due(clock.instant(), 1).get(0).lastError()).hasSize(Columns.MAX_ERROR_LENGTH);
    }

    @Test
    void oldestPendingReceivedAt_isTheEarliestArrivalStillPending() {
        Instant now = clock.instant();
        assertThat(journal.oldestPendingReceivedAt()).isEmpty();
        journal.append(Events.event("older", now.minusSeconds(40)));
        journal.append(Events.event("newer", now.minusSeconds(10)));
        long olderId = journal.due(now, 10).get(0).id();

        assertThat(journal.oldestPendingReceivedAt()).contains(now.minusSeconds(40));
        journal.markDone(olderId);
        assertThat(journal.oldestPendingReceivedAt()).contains(now.minusSeconds(10));
    }

    @Test
    void purgeFinishedBefore_deletesOnlyDoneAndFailedEventsFinishedBeforeTheCutoff() throws Exception {
        journal.append(Events.queued("done-long-ago"));
        journal.append(Events.queued("failed-long-ago"));
        journal.append(Events.queued("done-recently"));
        journal.append(Events.queued("still-pending"));
        List<StoredEvent> due = journal.due(clock.instant(), 10);
        journal.markDone(due.get(0).id());
        journal.markFailed(due.get(1).id(), "gave up");
        clock.advance(Duration.ofDays(8));
        journal.markDone(due.get(2).id());

        int purged = journal.purgeFinishedBefore(clock.instant().minus(Duration.ofDays(7)));

        assertThat(purged).isEqualTo(2);
        assertThat(engine.queryStrings("SELECT dedupe_key FROM event ORDER BY id"))
                .containsExactly("done-recently", "still-pending");
    }

    @Test
    void purgeFinishedBefore_deletesMoreThanOneSlice() throws Exception {
        int events = JdbcEventJournal.PURGE_SLICE * 2 + 7;
        long finishedAt = clock.instant().minusSeconds(1).toEpochMilli();
        engine.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                + events + ") INSERT INTO event (dedupe_key, event, organization, database_name, received_at,"
                + " next_attempt_at, status, finished_at) SELECT 'key-' || i, 'deploy_request.queued', 'acme', 'shop',"
                + " 0, 0, 'done', " + finishedAt + " FROM n");

        int purged = journal.purgeFinishedBefore(clock.instant());

        assertThat(purged).isEqualTo(events);
        assertThat(engine.queryLong("SELECT count(*) FROM event")).isZero();
    }
}
