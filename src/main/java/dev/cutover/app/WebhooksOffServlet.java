package dev.cutover.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /webhooks/planetscale} in polling mode (no {@code PLANETSCALE_WEBHOOK_SECRET}): a clear 404 saying
 * webhooks are not configured, never a 5xx. Nothing is read or recorded; reconciliation alone keeps Slack current.
 */
final class WebhooksOffServlet extends HttpServlet {
    private final long periodSeconds;

    WebhooksOffServlet(long periodSeconds) {
        this.periodSeconds = periodSeconds;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonAnswers.write(response, 404, "{\"status\":\"not_configured\",\"message\":\"webhooks are not configured"
                + " (PLANETSCALE_WEBHOOK_SECRET is unset); Cutover polls PlanetScale every " + periodSeconds
                + " s\"}");
    }
}
