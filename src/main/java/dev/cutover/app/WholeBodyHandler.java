package dev.cutover.app;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads each request's whole body without holding a thread, within a deadline, before any servlet sees it.
 *
 * <p>Why: servlets read bodies with blocking I/O, and the body is read before the signature can be checked. A
 * client that sends headers and then one byte every two seconds (each byte resets the idle timeout) held one of
 * the server's threads per connection, so a few dozen unauthenticated connections stalled every endpoint. Here
 * the bytes are collected by Jetty's selector as they arrive; a request reaches a thread only once its body is
 * complete, and a body still incomplete after {@code deadline} is answered 408 and its connection closed.
 *
 * <p>Jetty's own {@code MinimumDataRateHandler} would be the obvious tool, but in 12.1 it divides the handler's
 * total bytes read (all requests, ever) by one request's age, so on a busy server it never fires.
 */
final class WholeBodyHandler extends Handler.Wrapper {
    private final int maxBytes;
    private final Duration deadline;

    WholeBodyHandler(Handler next, int maxBytes, Duration deadline) {
        super(next);
        this.maxBytes = maxBytes;
        this.deadline = deadline;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getLength() == 0) {
            return super.handle(request, response, callback);
        }
        if (request.getLength() > maxBytes) {
            Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "request too large");
            return true;
        }
        AtomicBoolean settled = new AtomicBoolean();
        Scheduler.Task timer = request.getComponents().getScheduler().schedule(() -> {
            if (settled.compareAndSet(false, true)) {
                Response.writeError(request, response, callback, HttpStatus.REQUEST_TIMEOUT_408,
                        "request body not received within " + deadline.toSeconds() + " s");
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        // Non-blocking: each arriving piece is collected on Jetty's selector; no pool thread waits for the rest.
        Content.Source.asByteArrayAsync(request, maxBytes, Promise.Invocable.from(InvocationType.NON_BLOCKING,
                (byte[] body, Throwable failure) -> {
            timer.cancel();
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            if (failure != null) {
                // Over the limit while streaming (chunked), or the client went away mid-body.
                Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                        "request too large or incomplete");
                return;
            }
            // Off the selector: the servlets below block (on the store, on writing the answer).
            request.getContext().execute(() -> dispatch(new ReadBody(request, body), response, callback));
        }));
        return true;
    }

    private void dispatch(Request request, Response response, Callback callback) {
        try {
            if (!super.handle(request, response, callback)) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable e) {
            Response.writeError(request, response, callback, e);
        }
    }

    /** The request with its body already in memory: one last chunk, then end of content. */
    private static final class ReadBody extends Request.Wrapper {
        private Content.Chunk next;

        ReadBody(Request request, byte[] body) {
            super(request);
            this.next = Content.Chunk.from(ByteBuffer.wrap(body), true);
        }

        @Override
        public synchronized Content.Chunk read() {
            Content.Chunk chunk = next;
            next = Content.Chunk.EOF;
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }

        @Override
        public void fail(Throwable failure) {
            // Nothing left to fail: the body has been read in full.
        }
    }
}
