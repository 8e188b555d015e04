package dev.cutover.store;

import java.time.Instant;
import java.util.Objects;

/** A PlanetScale webhook Cutover created and manages for one database; {@link #toString()} hides the secret. */
public record ManagedWebhook(String database, String webhookId, String secret, String url, Instant createdAt) {
    public ManagedWebhook {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "ManagedWebhook[database=" + database + ", webhookId=" + webhookId + ", url=" + url + "]";
    }
}
