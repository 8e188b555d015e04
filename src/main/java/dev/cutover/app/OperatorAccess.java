package dev.cutover.app;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may read what only operators should see ({@code /metrics}, {@code /healthz?verbose}). The port is public (Slack
 * and PlanetScale must reach it), so: with {@code CUTOVER_METRICS_TOKEN} set, only
 * {@code Authorization: Bearer <token>}; without it, only a client on the same machine (a loopback address, and no
 * proxy's forwarding headers, since a reverse proxy on the same host would otherwise make every outsider look local).
 */
final class OperatorAccess {
    private final byte[] expectedAuthorization;

    OperatorAccess(Optional<String> token) {
        this.expectedAuthorization = token.map(value -> ("Bearer " + value).getBytes(StandardCharsets.UTF_8))
                .orElse(null);
    }

    /** Whether the request may read; when not, the 401 or 403 answer has been written. */
    boolean admit(HttpServletRequest request, HttpServletResponse response, String what) throws IOException {
        if (expectedAuthorization != null) {
            String given = request.getHeader("Authorization");
            if (given == null || !MessageDigest.isEqual(expectedAuthorization,
                    given.trim().getBytes(StandardCharsets.UTF_8))) {
                response.setHeader("WWW-Authenticate", "Bearer");
                JsonAnswers.write(response, 401, "{\"error\":\"send Authorization: Bearer <CUTOVER_METRICS_TOKEN>\"}");
                return false;
            }
            return true;
        }
        if (!isLocal(request)) {
            JsonAnswers.write(response, 403, "{\"error\":\"" + what + " are served to this machine only;"
                    + " set CUTOVER_METRICS_TOKEN to read them from elsewhere\"}");
            return false;
        }
        return true;
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
