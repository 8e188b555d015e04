package dev.cutover.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the webhook envelope ({@code timestamp, event, organization, database, resource}). It never throws
 * anything but {@link MalformedWebhookException}, whatever the bytes.
 */
public final class WebhookEventParser {
    /** Events Cutover knows; anything else is acknowledged and ignored (the list grows). */
    static final Set<String> KNOWN_EVENTS = Set.of(
            "deploy_request.opened", "deploy_request.queued", "deploy_request.in_progress",
            "deploy_request.pending_cutover", "deploy_request.schema_applied", "deploy_request.errored",
            "deploy_request.reverted", "deploy_request.closed",
            "branch.ready", "branch.sleeping", "branch.anomaly", "branch.primary_promoted",
            "branch.start_maintenance", "branch.out_of_memory", "branch.schema_recommendation",
            "keyspace.storage", "cluster.storage", "database.access_request", "webhook.test");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WebhookEventParser() {}

    public static boolean isKnown(String event) {
        return KNOWN_EVENTS.contains(event);
    }

    public static WebhookEvent parse(byte[] body) throws MalformedWebhookException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedWebhookException("body is not JSON");
        } catch (java.io.IOException e) {
            throw new MalformedWebhookException("body could not be read");
        } catch (RuntimeException e) {
            // Jackson reports some malformed input (e.g. invalid UTF-8 surrogates) as runtime exceptions.
            throw new MalformedWebhookException("body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedWebhookException("body is not a JSON object");
        }
        String event = text(root, "event");
        if (event == null) {
            throw new MalformedWebhookException("no \"event\" field");
        }
        JsonNode resource = root.path("resource");
        String organization = text(root, "organization");
        String database = text(root, "database");
        if ((organization == null || database == null) && resource.isObject()) {
            // The docs list only timestamp/event/resource; fall back to the resource's dashboard URL.
            String[] fromUrl = fromHtmlUrl(text(resource, "html_url"));
            organization = organization == null ? fromUrl[0] : organization;
            database = database == null ? fromUrl[1] : database;
        }
        if (database == null && event.equals("webhook.test") && resource.isObject()) {
            database = text(resource, "name");
        }

        Optional<Integer> number = Optional.empty();
        Optional<Instant> updatedAt = Optional.empty();
        if (event.startsWith("deploy_request.")) {
            if (!resource.isObject() || !resource.path("number").canConvertToInt()
                    || resource.path("number").asInt() <= 0) {
                throw new MalformedWebhookException("deploy request event without resource.number");
            }
            number = Optional.of(resource.path("number").asInt());
        }
        if (resource.isObject()) {
            updatedAt = instant(text(resource, "updated_at"));
        }
        return new WebhookEvent(event, organization == null ? "" : organization, database == null ? "" : database,
                number, updatedAt, dedupeKey(event, resource, body), new String(body, StandardCharsets.UTF_8));
    }

    /**
     * No delivery id exists, so the key is (event, resource id, resource updated_at) when the resource has
     * both, else a hash of the exact body (planetscale-api.md §7.5).
     */
    static String dedupeKey(String event, JsonNode resource, byte[] body) {
        String id = text(resource, "id");
        String updatedAt = text(resource, "updated_at");
        if (id != null && updatedAt != null) {
            return event + "|" + id + "|" + updatedAt;
        }
        try {
            return event + "|sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static Optional<Instant> instant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String[] fromHtmlUrl(String url) {
        String[] none = {null, null};
        if (url == null) {
            return none;
        }
        try {
            // An opaque URI (mailto:x, urn:…) has no path at all.
            String path = URI.create(url).getPath();
            if (path == null) {
                return none;
            }
            String[] parts = path.split("/");
            // /{org}/{db}/deploy-requests/{n}
            return parts.length >= 3 ? new String[] {parts[1], parts[2]} : none;
        } catch (IllegalArgumentException e) {
            return none;
        }
    }
}
