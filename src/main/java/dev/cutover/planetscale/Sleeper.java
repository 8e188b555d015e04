package dev.cutover.planetscale;

import java.time.Duration;

/**
 * Waits between retries of a read. Injected so tests record the waits instead of sleeping through them.
 */
@FunctionalInterface
public interface Sleeper {
    /** The real thing: {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    /** Blocks the calling thread for {@code duration}; throws when the thread is interrupted meanwhile. */
    void sleep(Duration duration) throws InterruptedException;
}
