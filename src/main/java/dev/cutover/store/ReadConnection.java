package dev.cutover.store;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The read path: one connection, one reader at a time. In WAL mode it reads committed data while the writer
 * commits, so appends never wait for it. Reads are few (the worker's poll, slash commands) and take microseconds,
 * so a lock serves them as well as a pool would, with nothing to size or leak.
 */
final class ReadConnection implements SqlReader, AutoCloseable {
    private final SqlSession session;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    ReadConnection(SqlSession session) {
        this.session = session;
    }

    /**
     * Runs {@code work} on the read connection.
     *
     * @param what names the read in errors, e.g. "find due events"; never includes values
     * @throws StoreException when the read failed or the store is closed
     */
    @Override
    public <T> T read(String what, SqlWork<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new StoreException("cannot " + what + ": the store is closed");
            }
            return work.run(session);
        } catch (SQLException e) {
            session.forgetStatements();
            throw new StoreException(what + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                session.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
