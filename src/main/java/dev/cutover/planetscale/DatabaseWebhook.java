package dev.cutover.planetscale;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A webhook configured on a PlanetScale database (planetscale-api.md §7.1). {@code lastSentSuccess} is empty before
 * the first delivery; {@code secret} is the HMAC key of {@code X-PlanetScale-Signature}.
 */
public record DatabaseWebhook(String id, String url, String secret, boolean enabled, List<String> events,
        Optional<Boolean> lastSentSuccess, String lastSentResult, Optional<Instant> lastSentAt) {
    public DatabaseWebhook {
        id = id == null ? "" : id;
        url = url == null ? "" : url;
        secret = secret == null ? "" : secret;
        events = events == null ? List.of() : List.copyOf(events);
        lastSentResult = lastSentResult == null ? "" : lastSentResult;
    }

    /** Never print the secret. */
    @Override
    public String toString() {
        return "DatabaseWebhook[id=" + id + ", url=" + url + ", enabled=" + enabled + "]";
    }
}
