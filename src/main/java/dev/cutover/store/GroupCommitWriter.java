package dev.cutover.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes. Callers hand it work and block; it takes everything queued, runs it in one
 * transaction and commits once, then answers each caller. One commit (one WAL sync) then serves many webhook
 * threads, which is what lets thousands of appends a second stay durable.
 *
 * <p>Each piece of work runs inside its own savepoint, so one failing write (say, a constraint) fails only its
 * caller while the rest of the batch commits.
 */
final class GroupCommitWriter implements SqlWriter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** Bounds one transaction so a flood cannot make a commit, and every caller waiting on it, arbitrarily slow. */
    static final int MAX_BATCH = 512;

    private final SqlSession session;
    private final StoreHealth health;
    private final BlockingQueue<Write<?>> queue = new LinkedBlockingQueue<>();
    private final Write<Void> stop = new Write<>("stop", session -> null);
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private volatile boolean closed;

    /** @param health told of every commit that fails and of the first that succeeds again */
    GroupCommitWriter(SqlSession session, String threadName, StoreHealth health) {
        this.session = session;
        this.health = health;
        this.thread = new Thread(this::run, threadName);
        // Acknowledged writes are already committed, so a forgotten close() must not keep the JVM alive.
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code work} in the next transaction and waits until it is committed.
     *
     * @param what names the work in errors and logs, e.g. "append event"; never includes values
     * @throws StoreException when the work or its commit failed (nothing of it was written), or the store is closed
     */
    @Override
    public <T> T write(String what, SqlWork<T> work) {
        if (closed) {
            throw new StoreException("cannot " + what + ": the store is closed");
        }
        Write<T> write = new Write<>(what, work);
        queue.add(write);
        if (closed && queue.remove(write)) {
            // close() finished draining before we queued; nobody else will answer this write.
            throw new StoreException("cannot " + what + ": the store is closed");
        }
        return write.await();
    }

    /** Transactions committed so far; with {@link #queued()}, shows how well writes are being grouped. */
    long commits() {
        return commits.get();
    }

    /** Writes waiting for the next transaction. */
    int queued() {
        return queue.size();
    }

    private void run() {
        List<Write<?>> batch = new ArrayList<>(MAX_BATCH);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // Nobody but close() should stop us, and it asks through the queue; keep serving.
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping = batch.remove(stop);
            if (!batch.isEmpty()) {
                try {
                    commit(batch);
                } catch (RuntimeException | Error e) {
                    // Whatever went wrong, callers must hear about it and the thread must keep serving.
                    rollbackQuietly();
                    failAll(batch, "unexpected error", e);
                }
            }
            batch.clear();
        }
    }

    private void commit(List<Write<?>> batch) {
        try {
            session.execute("BEGIN IMMEDIATE");
        } catch (SQLException | RuntimeException e) {
            session.forgetStatements();
            failAll(batch, "could not start a transaction", e);
            return;
        }
        Object[] results = new Object[batch.size()];
        Exception[] failures = new Exception[batch.size()];
        try {
            for (int i = 0; i < batch.size(); i++) {
                session.execute("SAVEPOINT write");
                try {
                    results[i] = batch.get(i).work.run(session);
                } catch (SQLException | RuntimeException e) {
                    failures[i] = e;
                    session.forgetStatements();
                    // If SQLite already rolled back the whole transaction (disk full, I/O error) this throws and
                    // the batch fails as a whole below.
                    session.execute("ROLLBACK TO write");
                }
                session.execute("RELEASE write");
            }
            session.execute("COMMIT");
            commits.incrementAndGet();
            health.recovered();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            failAll(batch, "could not commit", e);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Write<?> write = batch.get(i);
            if (failures[i] == null) {
                write.complete(results[i]);
            } else {
                log.warn("{} failed: {}", write.what, failures[i].toString());
                write.fail(new StoreException(write.what + " failed", failures[i]));
            }
        }
    }

    private void rollbackQuietly() {
        session.forgetStatements();
        try {
            session.execute("ROLLBACK");
        } catch (SQLException | RuntimeException e) {
            // Nothing was open, or SQLite rolled back on its own already.
            session.forgetStatements();
        }
    }

    private void failAll(List<Write<?>> batch, String reason, Throwable cause) {
        // Logged by StoreHealth, once a minute: a full disk fails every write, and each would otherwise say so.
        health.failed(batch.size() + " writes failed, " + reason, cause);
        for (Write<?> write : batch) {
            write.fail(new StoreException(write.what + " failed: " + reason, cause));
        }
    }

    /**
     * Lets queued writes finish, then stops the thread. Later writes throw {@link StoreException}.
     * Does not close the session.
     */
    @Override
    public void close() {
        closed = true;
        queue.add(stop);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        List<Write<?>> leftovers = new ArrayList<>();
        queue.drainTo(leftovers);
        for (Write<?> write : leftovers) {
            write.fail(new StoreException("cannot " + write.what + ": the store is closed"));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Write<T> {
        final String what;
        final SqlWork<T> work;
        private final CompletableFuture<T> done = new CompletableFuture<>();

        Write(String what, SqlWork<T> work) {
            this.what = what;
            this.work = work;
        }

        @SuppressWarnings("unchecked")
        void complete(Object result) {
            done.complete((T) result);
        }

        void fail(StoreException e) {
            done.completeExceptionally(e);
        }

        T await() {
            try {
                return done.get();
            } catch (ExecutionException e) {
                throw (StoreException) e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                // The write may still commit; a caller that answers 5xx now gets DUPLICATE on the retry.
                throw new StoreException("interrupted while waiting for " + what + " to commit", e);
            }
        }
    }
}
