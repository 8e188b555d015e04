package dev.cutover.app;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each task on its own virtual thread, admitting at most {@code maxTasks} unfinished tasks: past that,
 * {@link #execute} throws {@link RejectedExecutionException} at once (callers turn it into the polite "busy"
 * answer), so overload never becomes unbounded memory. Never blocks the caller, which is an ack path.
 *
 * <p>A task that waits (PlanetScale, Slack) parks its virtual thread instead of holding a platform thread; how
 * many calls reach each upstream at once is bounded separately, by {@link UpstreamLimit}.
 */
final class VirtualWork implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VirtualWork.class);

    private final Semaphore admitted;
    private final int maxTasks;
    private final ThreadFactory threads;

    VirtualWork(String name, int maxTasks) {
        if (maxTasks < 1) {
            throw new IllegalArgumentException(name + ": maxTasks must be at least 1, got " + maxTasks);
        }
        this.maxTasks = maxTasks;
        this.admitted = new Semaphore(maxTasks);
        this.threads = Thread.ofVirtual().name(name + "-", 1).factory();
    }

    @Override
    public void execute(Runnable task) {
        if (!admitted.tryAcquire()) {
            throw new RejectedExecutionException("more than " + maxTasks + " tasks waiting");
        }
        Thread thread = threads.newThread(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // Commands and clicks answer their own failures; one that escapes is a bug, said once here rather
                // than by the JVM's default handler on stderr.
                log.error("Unanswered failure in {}", Thread.currentThread().getName(), e);
            } finally {
                admitted.release();
            }
        });
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            admitted.release();
            throw e;
        }
    }

    /** Stops admitting tasks and waits (up to five seconds) for those running to finish. */
    @Override
    public void close() {
        try {
            admitted.tryAcquire(maxTasks, 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tasks admitted and not yet finished. */
    int unfinished() {
        return maxTasks - admitted.availablePermits();
    }
}
