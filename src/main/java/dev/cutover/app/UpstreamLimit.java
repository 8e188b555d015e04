package dev.cutover.app;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * How many calls may be in flight to one upstream (PlanetScale, Slack) at once: an OkHttp interceptor holding a
 * permit of a fair semaphore for the length of each HTTP exchange. With work on virtual threads, this, and not a
 * pool size, is what bounds the load we put on an upstream; callers past the limit park cheaply until a call ends.
 * A retry's back-off sleep happens outside the interceptor, so it holds no permit.
 */
final class UpstreamLimit implements Interceptor {
    private final String upstream;
    private final int concurrentCalls;
    private final Semaphore permits;

    UpstreamLimit(String upstream, int concurrentCalls) {
        if (concurrentCalls < 1) {
            throw new IllegalArgumentException(upstream + ": concurrentCalls must be at least 1, got " + concurrentCalls);
        }
        this.upstream = upstream;
        this.concurrentCalls = concurrentCalls;
        this.permits = new Semaphore(concurrentCalls, true);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a free " + upstream + " call");
        }
        try {
            return chain.proceed(chain.request());
        } finally {
            // OkHttp has read the headers by now; the body is buffered by our callers before the next call.
            permits.release();
        }
    }

    /** Calls in flight right now (for the metrics). */
    int inFlight() {
        return concurrentCalls - permits.availablePermits();
    }
}
