package dev.cutover.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /metrics}: Prometheus text exposition of every meter, for whoever may read it ({@link OperatorAccess}). The port is public
 * (Slack and PlanetScale must reach it), and the meters tell outsiders how busy the bot is and what fails, so:
 * with {@code CUTOVER_METRICS_TOKEN} set, only {@code Authorization: Bearer <token>} gets them; without it, only
 * a scraper on the same machine does (a loopback address, and no proxy's forwarding headers, since a reverse
 * proxy on the same host would otherwise make every outsider look local).
 */
final class MetricsServlet extends HttpServlet {
    private final transient PrometheusMeterRegistry registry;
    private final transient OperatorAccess access;

    MetricsServlet(PrometheusMeterRegistry registry, Optional<String> token) {
        this.registry = registry;
        this.access = new OperatorAccess(token);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!access.admit(request, response, "metrics")) {
            return;
        }
        byte[] text = registry.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setContentLength(text.length);
        response.getOutputStream().write(text);
    }
}
