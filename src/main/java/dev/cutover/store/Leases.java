package dev.cutover.store;

import java.time.Duration;

/**
 * Named leases that make one process at a time do a job for the whole fleet (the leader). A holder renews its
 * lease well before it runs out; when it dies, another takes the lease once it has expired, so failover takes at
 * most one lease period.
 */
public interface Leases {
    /**
     * Takes the lease {@code name} for {@code holder}, or renews it, until {@code period} from now, unless someone
     * else holds it unexpired.
     *
     * @return whether {@code holder} holds the lease now
     */
    boolean hold(String name, String holder, Duration period);

    /** Gives the lease up at once if {@code holder} has it (graceful shutdown): another takes it on its next try. */
    void release(String name, String holder);

    /** One process per data directory (SQLite): it always leads. */
    Leases ALWAYS_HELD = new Leases() {
        @Override
        public boolean hold(String name, String holder, Duration period) {
            return true;
        }

        @Override
        public void release(String name, String holder) {}
    };
}
