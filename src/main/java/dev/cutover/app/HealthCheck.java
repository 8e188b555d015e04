package dev.cutover.app;

import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container's HEALTHCHECK: exits 0 when {@code GET /healthz} answers 200. Lives in the jar so the image
 * needs no curl or wget.
 */
public final class HealthCheck {
    private HealthCheck() {}

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("PORT", "3000");
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/healthz")
                    .toURL().openConnection();
            connection.setConnectTimeout(2_000);
            connection.setReadTimeout(2_000);
            System.exit(connection.getResponseCode() == 200 ? 0 : 1);
        } catch (Exception e) {
            System.exit(1);
        }
    }
}
