package dev.cutover.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.cutover.store.StoreHealth;
import java.io.IOException;
import java.util.Optional;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.doctor.Report;

/**
 * {@code GET /healthz}: 200 while serving, with the outbox depth so an operator sees a backlog at a glance; 503 with
 * the reason while the store cannot write (a full disk), since webhooks are then refused and delivery waits.
 */
final class HealthServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final boolean sandbox;
    private final transient LongSupplier outboxDepth;
    private final transient StoreHealth storeHealth;
    private final transient Supplier<Report> doctor;
    private final transient OperatorAccess access;

    /**
     * @param doctor the full report for {@code ?verbose}, readable only as {@code /metrics} is ({@code access})
     */
    HealthServlet(boolean sandbox, LongSupplier outboxDepth, StoreHealth storeHealth, Supplier<Report> doctor,
            OperatorAccess access) {
        this.sandbox = sandbox;
        this.outboxDepth = outboxDepth;
        this.storeHealth = storeHealth;
        this.doctor = doctor;
        this.access = access;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getParameter("verbose") != null) {
            if (access.admit(request, response, "verbose health reports")) {
                verbose(response);
            }
            return;
        }
        Optional<String> problem = storeHealth.problem();
        String status = problem.isPresent() ? "\"status\":\"degraded\",\"reason\":" + JsonAnswers.quote(problem.get())
                : "\"status\":\"ok\"";
        JsonAnswers.write(response, problem.isPresent() ? 503 : 200, "{" + status + ",\"sandbox\":" + sandbox
                + ",\"outbox\":" + outboxDepth.getAsLong() + "}");
    }

    /** {@code /pscale doctor}'s report as JSON: 200 when nothing failed, 503 when a check did. */
    private void verbose(HttpServletResponse response) throws IOException {
        Report report = doctor.get();
        ObjectNode root = JSON.createObjectNode();
        root.put("status", report.overall().name().toLowerCase(Locale.ROOT));
        ArrayNode checks = root.putArray("checks");
        for (Report.Line line : report.lines()) {
            checks.addObject().put("status", line.status().name().toLowerCase(Locale.ROOT)).put("subject",
                    line.subject()).put("text", line.text()).put("fix", line.fix());
        }
        JsonAnswers.write(response, report.overall() == Report.Status.FAIL ? 503 : 200, JSON.writeValueAsString(root));
    }
}
