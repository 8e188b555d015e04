package dev.cutover.store;

import java.util.function.Supplier;

/**
 * A lock per deploy request held by the database, so two clicks landing on two replicas still make one PlanetScale
 * write: the second waits, then re-reads the deploy request and finds the work done. Held only around the fresh
 * read, the state check and the call.
 */
public interface DeployRequestLocks {
    /** Runs {@code work} holding the lock named {@code key} (e.g. {@code org/database#7}), released after it. */
    <T> T holding(String key, Supplier<T> work);

    /** One process (SQLite): the caller's in-process lock is already the whole story. */
    DeployRequestLocks IN_PROCESS = new DeployRequestLocks() {
        @Override
        public <T> T holding(String key, Supplier<T> work) {
            return work.get();
        }
    };
}
