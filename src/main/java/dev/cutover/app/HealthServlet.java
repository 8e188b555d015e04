package dev.cutover.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.doctor.Report;
import dev.cutover.store.StoreHealth;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /healthz}: 200 while serving, with the outbox depth so an operator sees a backlog at a glance, the
 * store, this replica's id and whether it runs the periodic jobs; 503 with the reason while the store cannot write
 * (a full disk) or cannot be reached (a shared PostgreSQL that is down), since webhooks are then refused and
 * delivery waits: the readiness signal that takes a replica out of the load balancer. {@code ?live} answers 200
 * whenever the process serves (a liveness probe must not restart every replica while the database is away).
 */
final class HealthServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final boolean sandbox;
    private final transient LongSupplier outboxDepth;
    private final transient StoreHealth storeHealth;
    private final transient Supplier<Report> doctor;
    private final transient OperatorAccess access;
    private final transient Supplier<String> slackTransport;
    private final transient Replica replica;

    /**
     * This replica as {@code /healthz} shows it.
     *
     * @param id the replica's id (host name and pid)
     * @param store {@code sqlite} or {@code postgresql}
     * @param leader whether it holds the jobs lease now
     * @param ping asks the store a trivial question; throws when it cannot be reached
     */
    record Replica(String id, String store, BooleanSupplier leader, Runnable ping) {}

    /**
     * @param doctor the full report for {@code ?verbose}, readable only as {@code /metrics} is ({@code access})
     * @param slackTransport how Slack reaches us now: {@code http}, or Socket Mode's connection state
     */
    HealthServlet(boolean sandbox, LongSupplier outboxDepth, StoreHealth storeHealth, Supplier<Report> doctor,
            OperatorAccess access, Supplier<String> slackTransport, Replica replica) {
        this.replica = replica;
        this.sandbox = sandbox;
        this.outboxDepth = outboxDepth;
        this.storeHealth = storeHealth;
        this.slackTransport = slackTransport;
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
        if (request.getParameter("live") != null) {
            JsonAnswers.write(response, 200, "{\"status\":\"live\"}");
            return;
        }
        Optional<String> problem = storeHealth.problem();
        long outbox = -1;
        try {
            replica.ping().run();
            outbox = outboxDepth.getAsLong();
        } catch (RuntimeException e) {
            problem = Optional.of("the store " + replica.store() + " cannot be reached: " + e.getMessage());
        }
        String status = problem.isPresent() ? "\"status\":\"degraded\",\"reason\":" + JsonAnswers.quote(problem.get())
                : "\"status\":\"ok\"";
        JsonAnswers.write(response, problem.isPresent() ? 503 : 200, "{" + status + ",\"sandbox\":" + sandbox
                + ",\"outbox\":" + outbox + ",\"slack\":\"" + slackTransport.get() + "\",\"store\":\""
                + replica.store() + "\",\"replica\":" + JsonAnswers.quote(replica.id()) + ",\"leader\":"
                + replica.leader().getAsBoolean() + "}");
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
