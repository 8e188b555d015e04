package dev.cutover.notify;

import dev.cutover.store.AppendResult;
import dev.cutover.store.EventJournal;
import dev.cutover.store.IncomingEvent;
import dev.cutover.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The journal's contract in memory, for testing the outbox loop alone: dedupe by key, only the oldest pending
 * event of each deploy request is due, postponing costs no attempt. The SQLite journal has its own tests.
 */
final class InMemoryEventJournal implements EventJournal {
    enum Status { PENDING, DONE, FAILED }

    static final class Row {
        final long id;
        final IncomingEvent event;
        Status status = Status.PENDING;
        int attempts;
        String lastError;
        Instant nextAttemptAt;

        Row(long id, IncomingEvent event) {
            this.id = id;
            this.event = event;
            this.nextAttemptAt = event.receivedAt();
        }
    }

    private final Map<Long, Row> rows = new LinkedHashMap<>();
    private final Set<String> keys = new HashSet<>();
    private long nextId = 1;

    @Override
    public synchronized AppendResult append(IncomingEvent event) {
        if (!keys.add(event.dedupeKey())) {
            return AppendResult.DUPLICATE;
        }
        long id = nextId++;
        rows.put(id, new Row(id, event));
        return AppendResult.APPENDED;
    }

    @Override
    public synchronized List<StoredEvent> due(Instant now, int limit) {
        Set<String> blocked = new HashSet<>();
        List<StoredEvent> due = new ArrayList<>();
        for (Row row : rows.values()) {
            if (row.status != Status.PENDING) {
                continue;
            }
            String request = row.event.deployRequestNumber() == null ? "event " + row.id
                    : row.event.database() + "#" + row.event.deployRequestNumber();
            if (!blocked.add(request)) {
                continue; // an earlier event of this deploy request is still pending
            }
            if (!row.nextAttemptAt.isAfter(now) && due.size() < limit) {
                due.add(new StoredEvent(row.id, row.attempts, row.lastError, row.event));
            }
        }
        return due;
    }

    @Override
    public synchronized List<StoredEvent> laterPending(StoredEvent head, int limit) {
        IncomingEvent first = head.incoming();
        List<StoredEvent> later = new ArrayList<>();
        if (first.deployRequestNumber() == null) {
            return later;
        }
        for (Row row : rows.values()) {
            if (row.status == Status.PENDING && row.id > head.id() && later.size() < limit
                    && row.event.database().equals(first.database())
                    && first.deployRequestNumber().equals(row.event.deployRequestNumber())) {
                later.add(new StoredEvent(row.id, row.attempts, row.lastError, row.event));
            }
        }
        return later;
    }

    @Override
    public synchronized Optional<Instant> nextAttemptAt() {
        Set<String> blocked = new HashSet<>();
        Instant next = null;
        for (Row row : rows.values()) {
            String request = row.event.deployRequestNumber() == null ? "event " + row.id
                    : row.event.database() + "#" + row.event.deployRequestNumber();
            if (row.status == Status.PENDING && blocked.add(request)
                    && (next == null || row.nextAttemptAt.isBefore(next))) {
                next = row.nextAttemptAt;
            }
        }
        return Optional.ofNullable(next);
    }

    @Override
    public synchronized void markDone(long id) {
        row(id).status = Status.DONE;
    }

    @Override
    public synchronized void retryLater(long id, Instant nextAttemptAt, String lastError) {
        Row row = row(id);
        row.attempts++;
        row.lastError = lastError;
        row.nextAttemptAt = nextAttemptAt;
    }

    @Override
    public synchronized void postpone(long id, Instant nextAttemptAt) {
        row(id).nextAttemptAt = nextAttemptAt;
    }

    @Override
    public synchronized void markFailed(long id, String lastError) {
        Row row = row(id);
        row.status = Status.FAILED;
        row.lastError = lastError;
    }

    @Override
    public synchronized long pendingCount() {
        return rows.values().stream().filter(row -> row.status == Status.PENDING).count();
    }

    @Override
    public synchronized Optional<Instant> oldestPendingReceivedAt() {
        return rows.values().stream().filter(row -> row.status == Status.PENDING).map(row -> row.event.receivedAt())
                .findFirst();
    }

    @Override
    public synchronized int purgeFinishedBefore(Instant cutoff) {
        return 0;
    }

    synchronized Row row(long id) {
        return rows.get(id);
    }
}
