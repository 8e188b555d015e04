package dev.cutover.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbox between the webhook listener and the worker: an event is durable once {@link #append} returns, and
 * stays pending until the worker marks it done or failed, so a restart (even after SIGKILL) delivers it again.
 * All methods are thread-safe.
 */
public interface EventJournal {
    /**
     * Records the event durably; blocks until the write is committed (appends from many threads share one commit).
     *
     * @return {@link AppendResult#DUPLICATE} when the dedupe key was seen before; nothing is written then
     * @throws StoreException when the event could not be recorded; answer 5xx so PlanetScale retries
     */
    AppendResult append(IncomingEvent event);

    /**
     * Pending events whose next attempt is due at {@code now}, oldest arrival first, and only the oldest pending
     * event of each deploy request (so events of one deploy request are applied in order).
     */
    List<StoredEvent> due(Instant now, int limit);

    /**
     * The pending events of {@code head}'s deploy request that arrived after it, oldest first, at most
     * {@code limit}: what can be applied together with it when delivery is behind. Empty for events that are not
     * about a deploy request.
     */
    List<StoredEvent> laterPending(StoredEvent head, int limit);

    /**
     * When the next event that {@link #due} could return becomes due (only the oldest pending event of each deploy
     * request counts); empty when nothing is pending. Lets the worker sleep until then.
     */
    Optional<Instant> nextAttemptAt();

    /** The event was delivered; its body is dropped. No effect unless the event is pending. */
    void markDone(long id);

    /** {@link #markDone} for several events, in one write. */
    default void markDone(List<Long> ids) {
        ids.forEach(this::markDone);
    }

    /** Delivery failed for now: hides the event from {@link #due} until {@code nextAttemptAt}. */
    void retryLater(long id, Instant nextAttemptAt, String lastError);

    /**
     * Not a failure, only "not yet" (e.g. Slack's per-channel pace): hides the event until {@code nextAttemptAt}
     * without counting an attempt, so a long burst never exhausts an event's attempts.
     */
    void postpone(long id, Instant nextAttemptAt);

    /** Delivery gave up; the event and its body stay for inspection and {@link #due} never returns it again. */
    void markFailed(long id, String lastError);

    /**
     * Gives back this process's claims on pending events at once (graceful shutdown), so other replicas take them
     * up now instead of after the lease. Nothing to do when the journal is not shared.
     */
    default void releaseClaims() {}

    long pendingCount();

    /** When the oldest pending event arrived: how far the worker is behind. */
    Optional<Instant> oldestPendingReceivedAt();

    /**
     * Deletes finished events (done or given up) that finished before {@code cutoff}; their dedupe keys are
     * forgotten with them, so the same webhook arriving later would be delivered again. Pending events stay.
     *
     * @return how many events were deleted
     */
    int purgeFinishedBefore(Instant cutoff);
}
