package dev.cutover.store;

/** Where the repositories write: SQLite's group commit, or a pooled PostgreSQL connection per transaction. */
interface SqlWriter {
    /**
     * Runs {@code work} in a transaction and returns once it is committed.
     *
     * @param what names the work in errors and logs, e.g. "append event"; never includes values
     * @throws StoreException when the work or its commit failed (nothing of it was written), or the store is closed
     */
    <T> T write(String what, SqlWork<T> work);
}
