package dev.cutover.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 while serving, with the outbox depth so an operator sees a backlog at a glance, and how
 * Slack reaches us: {@code "http"}, or {@code "socket_mode:connected"} (or {@code connecting}, {@code reconnecting}).
 * A Socket Mode connection that is down still answers 200: the service reconnects on its own, and restarting it
 * would not bring Slack back sooner.
 */
final class HealthServlet extends HttpServlet {
    private final boolean sandbox;
    private final transient LongSupplier outboxDepth;
    private final transient Supplier<String> slackTransport;

    HealthServlet(boolean sandbox, LongSupplier outboxDepth, Supplier<String> slackTransport) {
        this.sandbox = sandbox;
        this.outboxDepth = outboxDepth;
        this.slackTransport = slackTransport;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonAnswers.write(response, 200, "{\"status\":\"ok\",\"sandbox\":" + sandbox + ",\"outbox\":"
                + outboxDepth.getAsLong() + ",\"slack\":\"" + slackTransport.get() + "\"}");
    }
}
