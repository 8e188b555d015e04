package dev.cutover.sandbox;

import java.time.Instant;
import java.util.List;

/**
 * A webhook configured on a simulated database through the API (planetscale-api.md §7.1). Mutable; guarded by the
 * organization's lock. Deliveries record their outcome in {@code lastSent*}; enough failures in a row disable it,
 * as PlanetScale does.
 */
final class SimulatedWebhook {
    final String id;
    final String secret;
    final Instant createdAt;
    String url;
    boolean enabled;
    List<String> events;
    String lastSentResult;
    Boolean lastSentSuccess;
    Instant lastSentAt;
    Instant lastTestAt;
    Instant updatedAt;
    int failuresInARow;

    SimulatedWebhook(String id, String secret, String url, boolean enabled, List<String> events, Instant now) {
        this.id = id;
        this.secret = secret;
        this.url = url;
        this.enabled = enabled;
        this.events = List.copyOf(events);
        this.createdAt = now;
        this.updatedAt = now;
    }

    boolean wants(String event) {
        return event.equals("webhook.test") || events.contains(event);
    }
}
