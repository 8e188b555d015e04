package dev.cutover.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code GET /metrics}: Prometheus text exposition of every meter, for whoever may read it. The port is public
 * (Slack and PlanetScale must reach it), and the meters tell outsiders how busy the bot is and what fails, so:
 * with {@code CUTOVER_METRICS_TOKEN} set, only {@code Authorization: Bearer <token>} gets them; without it, only
 * a scraper on the same machine does (a loopback address, and no proxy's forwarding headers, since a reverse
 * proxy on the same host would otherwise make every outsider look local).
 */
final class MetricsServlet extends HttpServlet {
    private final transient PrometheusMeterRegistry registry;
    private final byte[] expectedAuthorization;

    MetricsServlet(PrometheusMeterRegistry registry, Optional<String> token) {
        this.registry = registry;
        this.expectedAuthorization = token.map(value -> ("Bearer " + value).getBytes(StandardCharsets.UTF_8))
                .orElse(null);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (expectedAuthorization != null) {
            String given = request.getHeader("Authorization");
            if (given == null || !MessageDigest.isEqual(expectedAuthorization,
                    given.trim().getBytes(StandardCharsets.UTF_8))) {
                response.setHeader("WWW-Authenticate", "Bearer");
                JsonAnswers.write(response, 401, "{\"error\":\"send Authorization: Bearer <CUTOVER_METRICS_TOKEN>\"}");
                return;
            }
        } else if (!isLocal(request)) {
            JsonAnswers.write(response, 403, "{\"error\":\"metrics are served to this machine only;"
                    + " set CUTOVER_METRICS_TOKEN to scrape from elsewhere\"}");
            return;
        }
        byte[] text = registry.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setContentLength(text.length);
        response.getOutputStream().write(text);
    }

    static boolean isLocal(HttpServletRequest request) {
        if (request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-For") != null
                || request.getHeader("X-Real-IP") != null) {
            return false;
        }
        try {
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
