package dev.cutover.webhooks;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The keys a PlanetScale webhook may be signed with: {@code PLANETSCALE_WEBHOOK_SECRET} (a webhook set up by hand)
 * and the secret of every webhook Cutover created itself. Empty means webhooks are not configured at all (polling
 * mode). Thread-safe: set-up adds keys while intake verifies.
 */
public final class WebhookSecrets {
    private final List<WebhookSignature> signatures = new CopyOnWriteArrayList<>();

    public WebhookSecrets(Optional<String> configured, List<String> managed) {
        configured.ifPresent(this::add);
        managed.forEach(this::add);
    }

    /** Accepts signatures made with {@code secret} from now on. */
    public void add(String secret) {
        if (secret != null && !secret.isBlank()) {
            signatures.add(new WebhookSignature(secret));
        }
    }

    public boolean isEmpty() {
        return signatures.isEmpty();
    }

    /** Whether any known key signed {@code body} (each comparison is constant-time). */
    public boolean verify(byte[] body, String header) {
        for (WebhookSignature signature : signatures) {
            if (signature.verify(body, header)) {
                return true;
            }
        }
        return false;
    }
}
