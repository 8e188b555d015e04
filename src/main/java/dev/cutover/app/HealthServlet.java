package dev.cutover.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.cutover.store.StoreHealth;
import java.io.IOException;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 while serving, with the outbox depth so an operator sees a backlog at a glance; 503 with
 * the reason while the store cannot write (a full disk), since webhooks are then refused and delivery waits. It also
 * says how Slack reaches us: {@code "http"}, or {@code "socket_mode:connected"} (or {@code connecting},
 * {@code reconnecting}); a Socket Mode connection that is down does not make it 503: the service reconnects on its
 * own, and a restart would not bring Slack back sooner.
 */
final class HealthServlet extends HttpServlet {
    private final boolean sandbox;
    private final transient LongSupplier outboxDepth;
    private final transient StoreHealth storeHealth;
    private final transient Supplier<String> slackTransport;

    HealthServlet(boolean sandbox, LongSupplier outboxDepth, StoreHealth storeHealth, Supplier<String> slackTransport) {
        this.sandbox = sandbox;
        this.outboxDepth = outboxDepth;
        this.storeHealth = storeHealth;
        this.slackTransport = slackTransport;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> problem = storeHealth.problem();
        String status = problem.isPresent() ? "\"status\":\"degraded\",\"reason\":" + JsonAnswers.quote(problem.get())
                : "\"status\":\"ok\"";
        JsonAnswers.write(response, problem.isPresent() ? 503 : 200, "{" + status + ",\"sandbox\":" + sandbox
                + ",\"outbox\":" + outboxDepth.getAsLong() + ",\"slack\":\"" + slackTransport.get() + "\"}");
    }
}
