package dev.cutover.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.LongSupplier;

/** {@code GET /healthz}: 200 while serving, with the outbox depth so an operator sees a backlog at a glance. */
final class HealthServlet extends HttpServlet {
    private final boolean sandbox;
    private final transient LongSupplier outboxDepth;

    HealthServlet(boolean sandbox, LongSupplier outboxDepth) {
        this.sandbox = sandbox;
        this.outboxDepth = outboxDepth;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonAnswers.write(response, 200, "{\"status\":\"ok\",\"sandbox\":" + sandbox + ",\"outbox\":"
                + outboxDepth.getAsLong() + "}");
    }
}
