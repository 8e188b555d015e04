package dev.cutover.planetscale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.EventType;
import dev.cutover.deploy.PlanetScaleEvent;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The one parse of a PlanetScale webhook body: the envelope ({@code timestamp, event, organization, database,
 * resource}) and the typed {@link PlanetScaleEvent} it carries. Intake and delivery both call it, so there is one
 * reading of PlanetScale's JSON. It never throws anything but {@link MalformedWebhookException}, whatever the bytes.
 */
public final class WebhookParser {
    /** Marks a journal body written by reconciliation; PlanetScale's envelope has no such field. */
    static final String RECONCILIATION_FIELD = "cutover_reconciliation";

    private WebhookParser() {}

    /**
     * @param fallbackOrganization the organization a deploy request belongs to when the body names none (the
     *     docs list only timestamp, event and resource)
     */
    public static Webhook parse(byte[] body, String fallbackOrganization) throws MalformedWebhookException {
        JsonNode root;
        try {
            root = PlanetScaleJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedWebhookException("body is not JSON");
        } catch (IOException e) {
            throw new MalformedWebhookException("body could not be read");
        } catch (RuntimeException e) {
            // Jackson reports some malformed input (e.g. invalid UTF-8 surrogates) as runtime exceptions.
            throw new MalformedWebhookException("body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedWebhookException("body is not a JSON object");
        }
        String name = text(root, "event");
        if (name == null) {
            throw new MalformedWebhookException("no \"event\" field");
        }
        EventType type = EventType.fromWire(name);
        JsonNode reconciliation = root.path(RECONCILIATION_FIELD);
        if (!type.isSentByPlanetScale() && !reconciliation.isObject()) {
            // Cutover's own names, in a body that is not the reconciler's: not an event PlanetScale sends.
            type = EventType.UNKNOWN;
        }
        JsonNode resource = root.path("resource");
        String organization = text(root, "organization");
        String database = text(root, "database");
        if ((organization == null || database == null) && resource.isObject()) {
            String[] fromUrl = fromHtmlUrl(text(resource, "html_url"));
            organization = organization == null ? fromUrl[0] : organization;
            database = database == null ? fromUrl[1] : database;
        }
        if (database == null && type == EventType.WEBHOOK_TEST && resource.isObject()) {
            database = text(resource, "name");
        }

        Optional<Integer> number = Optional.empty();
        Optional<Instant> updatedAt = resource.isObject() ? instant(text(resource, "updated_at")) : Optional.empty();
        PlanetScaleEvent event;
        if (type.isDeployRequest()) {
            if (!resource.isObject() || !resource.path("number").canConvertToInt()
                    || resource.path("number").asInt() <= 0) {
                throw new MalformedWebhookException("deploy request event without resource.number");
            }
            number = Optional.of(resource.path("number").asInt());
            DeployRequest request = deployRequest(organization != null ? organization : fallbackOrganization, database,
                    resource);
            if (reconciliation.isObject()) {
                JsonNode actor = reconciliation.path("actor");
                event = new PlanetScaleEvent.DeployRequestChanged(type, request, PlanetScaleEvent.Source.RECONCILIATION,
                        actor.isObject() ? new Actor(Optional.ofNullable(text(actor, "id")).orElse(""),
                                Optional.ofNullable(text(actor, "display_name")).orElse("")) : null);
            } else {
                event = new PlanetScaleEvent.DeployRequestChanged(type, request);
            }
        } else {
            event = new PlanetScaleEvent.Other(type, name, database, branch(resource), detail(resource));
        }
        return new Webhook(name, organization == null ? "" : organization, database == null ? "" : database,
                number, updatedAt, dedupeKey(name, resource, body), event, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * The journal body of a change reconciliation found: PlanetScale's own envelope around the deploy request as
     * the API returned it, plus a {@code cutover_reconciliation} block, so delivery reads it through {@link #parse}
     * like any webhook (one reading of PlanetScale's JSON) and knows where it came from.
     *
     * @param resourceJson the deploy request exactly as {@code GET …/deploy-requests} returned it
     * @param actor who did it, when the request itself does not say (an approver), or null
     */
    public static byte[] reconciliationBody(EventType type, String organization, String database, String resourceJson,
            Actor actor, Instant observedAt) {
        ObjectNode root = PlanetScaleJson.mapper().createObjectNode();
        root.put("timestamp", observedAt.getEpochSecond());
        root.put("event", type.wire());
        root.put("organization", organization);
        root.put("database", database);
        try {
            root.set("resource", PlanetScaleJson.mapper().readTree(resourceJson));
            ObjectNode block = root.putObject(RECONCILIATION_FIELD);
            block.put("source", "reconciliation");
            if (actor != null) {
                block.putObject("actor").put("id", actor.id()).put("display_name", actor.displayName());
            }
            return PlanetScaleJson.mapper().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalArgumentException("the deploy request's JSON is unreadable", e);
        }
    }

    private static DeployRequest deployRequest(String organization, String database, JsonNode resource)
            throws MalformedWebhookException {
        if (database == null) {
            throw new MalformedWebhookException("deploy request event that names no database");
        }
        try {
            return PlanetScaleJson.deployRequest(organization, database, resource);
        } catch (IllegalArgumentException e) {
            throw new MalformedWebhookException("deploy request event with an unreadable resource");
        }
    }

    private static String branch(JsonNode resource) {
        String branch = text(resource, "branch_name");
        return branch != null ? branch : Optional.ofNullable(text(resource, "name")).orElse("");
    }

    /** The one number worth showing for storage alerts; other events carry their news in the event name. */
    private static String detail(JsonNode resource) {
        JsonNode percentage = resource.path("storage_percentage");
        return percentage.isNumber() ? percentage.asText() + "% used" : "";
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
