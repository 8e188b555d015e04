package dev.cutover.planetscale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
     * Everything but the typed event, in one streaming pass: no tree, no binding of the deploy request. This is
     * intake's whole reading of the body (issue 9: the full parse was a third of intake's CPU); the rest is read by
     * {@link #parse} when the event is delivered, from the journal. A body that passes here but whose deploy request
     * cannot be bound (a signed body PlanetScale would never send) is kept and fails at delivery with its reason.
     *
     * @param fallbackOrganization the organization a deploy request belongs to when the body names none (the
     *     docs list only timestamp, event and resource)
     */
    public static WebhookEnvelope envelope(byte[] body, String fallbackOrganization) throws MalformedWebhookException {
        Fields fields = new Fields();
        try (JsonParser parser = PlanetScaleJson.mapper().getFactory().createParser(body)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw new MalformedWebhookException(token == null ? "body is not JSON" : "body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "event" -> fields.event = text(parser, value);
                    case "organization" -> fields.organization = text(parser, value);
                    case "database" -> fields.database = text(parser, value);
                    case "resource" -> fields.resource = value == JsonToken.START_OBJECT ? resource(parser) : skip(parser);
                    case RECONCILIATION_FIELD -> {
                        fields.reconciliation = value == JsonToken.START_OBJECT;
                        parser.skipChildren();
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new MalformedWebhookException("body is not JSON");
        } catch (IOException e) {
            throw new MalformedWebhookException("body could not be read");
        } catch (RuntimeException e) {
            // Jackson reports some malformed input (e.g. invalid UTF-8 surrogates) as runtime exceptions.
            throw new MalformedWebhookException("body is not JSON");
        }
        return fields.envelope(body, fallbackOrganization);
    }

    /** The envelope and the typed event delivery acts on: the one full reading of a webhook body. */
    public static Webhook parse(byte[] body, String fallbackOrganization) throws MalformedWebhookException {
        WebhookEnvelope envelope = envelope(body, fallbackOrganization);
        JsonNode root;
        try {
            root = PlanetScaleJson.mapper().readTree(body);
        } catch (IOException | RuntimeException e) {
            throw new MalformedWebhookException("body is not JSON"); // the envelope read it; kept for safety
        }
        JsonNode resource = root.path("resource");
        PlanetScaleEvent event;
        if (envelope.type().isDeployRequest()) {
            DeployRequest request = deployRequest(envelope.organization().isEmpty() ? fallbackOrganization
                    : envelope.organization(), envelope.database(), resource);
            JsonNode reconciliation = root.path(RECONCILIATION_FIELD);
            if (reconciliation.isObject()) {
                JsonNode actor = reconciliation.path("actor");
                event = new PlanetScaleEvent.DeployRequestChanged(envelope.type(), request,
                        PlanetScaleEvent.Source.RECONCILIATION,
                        actor.isObject() ? new Actor(Optional.ofNullable(text(actor, "id")).orElse(""),
                                Optional.ofNullable(text(actor, "display_name")).orElse("")) : null);
            } else {
                event = new PlanetScaleEvent.DeployRequestChanged(envelope.type(), request);
            }
        } else {
            event = new PlanetScaleEvent.Other(envelope.type(), envelope.name(),
                    envelope.database().isEmpty() ? null : envelope.database(), branch(resource), detail(resource));
        }
        return new Webhook(envelope.name(), envelope.organization(), envelope.database(),
                envelope.deployRequestNumber(), envelope.resourceUpdatedAt(), envelope.dedupeKey(), event,
                envelope.body());
    }

    /** The envelope's raw fields as the stream gave them; a repeated key keeps its last value, as a tree would. */
    private static final class Fields {
        String event;
        String organization;
        String database;
        boolean reconciliation;
        Resource resource;

        WebhookEnvelope envelope(byte[] body, String fallbackOrganization) throws MalformedWebhookException {
            if (event == null) {
                throw new MalformedWebhookException("no \"event\" field");
            }
            EventType type = EventType.fromWire(event);
            if (!type.isSentByPlanetScale() && !reconciliation) {
                // Cutover's own names, in a body that is not the reconciler's: not an event PlanetScale sends.
                type = EventType.UNKNOWN;
            }
            if ((organization == null || database == null) && resource != null) {
                String[] fromUrl = fromHtmlUrl(resource.htmlUrl);
                organization = organization == null ? fromUrl[0] : organization;
                database = database == null ? fromUrl[1] : database;
            }
            if (database == null && type == EventType.WEBHOOK_TEST && resource != null) {
                database = resource.name;
            }
            Optional<Integer> number = Optional.empty();
            if (type.isDeployRequest()) {
                if (resource == null || resource.number == null || resource.number <= 0) {
                    throw new MalformedWebhookException("deploy request event without resource.number");
                }
                if (database == null) {
                    throw new MalformedWebhookException("deploy request event that names no database");
                }
                number = Optional.of(resource.number);
            }
            String id = resource == null ? null : resource.id;
            String updatedAt = resource == null ? null : resource.updatedAt;
            return new WebhookEnvelope(event, type, organization == null ? "" : organization,
                    database == null ? "" : database, number, instant(updatedAt), dedupeKey(event, id, updatedAt, body),
                    reconciliation, new String(body, StandardCharsets.UTF_8));
        }
    }

    /** The few fields of {@code resource} the envelope uses; nested objects and arrays are skipped unread. */
    private static final class Resource {
        Integer number;
        String id;
        String updatedAt;
        String htmlUrl;
        String name;
    }

    private static Resource resource(JsonParser parser) throws IOException {
        Resource resource = new Resource();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "number" -> resource.number = wholeNumber(parser, value);
                case "id" -> resource.id = text(parser, value);
                case "updated_at" -> resource.updatedAt = text(parser, value);
                case "html_url" -> resource.htmlUrl = text(parser, value);
                case "name" -> resource.name = text(parser, value);
                default -> parser.skipChildren();
            }
        }
        return resource;
    }

    /** A number that fits an int, as Jackson's {@code canConvertToInt}/{@code asInt} read it (7.0 is 7); else null. */
    private static Integer wholeNumber(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getNumberType() == JsonParser.NumberType.INT ? parser.getIntValue() : null;
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double number = parser.getDoubleValue();
            return number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE ? (int) number : null;
        }
        parser.skipChildren();
        return null;
    }

    /** A non-blank string value, else null (skipping an object or array in its place). */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            return text.isBlank() ? null : text;
        }
        parser.skipChildren();
        return null;
    }

    private static Resource skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
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
    static String dedupeKey(String event, String resourceId, String resourceUpdatedAt, byte[] body) {
        if (resourceId != null && resourceUpdatedAt != null) {
            return event + "|" + resourceId + "|" + resourceUpdatedAt;
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
        return Optional.ofNullable(Timestamps.parseQuietly(text));
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
