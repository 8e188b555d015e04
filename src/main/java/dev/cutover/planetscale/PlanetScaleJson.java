package dev.cutover.planetscale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutover.deploy.DeployRequest;

/**
 * The one way into PlanetScale's JSON shapes: a shared, configured {@link ObjectMapper} and the parser of a
 * deploy-request object, so the HTTP client and {@link WebhookParser} read requests the same way. Package-private:
 * no Jackson type leaves {@code planetscale}.
 */
final class PlanetScaleJson {
    // Unknown fields appear all the time (type, new features); they must never fail a parse.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private PlanetScaleJson() {}

    /**
     * The shared mapper: ignores unknown properties and is thread-safe. Do not reconfigure it; call
     * {@code copy()} for a variant.
     */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses a deploy-request object, such as the {@code resource} of a {@code deploy_request.*} webhook
     * (exactly the body of {@code GET …/deploy-requests/{number}}).
     *
     * @param database the database the request belongs to (the object itself does not name it)
     * @throws IllegalArgumentException when {@code resource} is not a deploy request (not an object, no
     *     {@code number}, fields of the wrong type) or the names are not PlanetScale names; nothing else
     */
    static DeployRequest deployRequest(String org, String database, JsonNode resource) {
        if (org == null || database == null) {
            throw new IllegalArgumentException("a deploy request needs its organization and database");
        }
        if (resource == null || !resource.isObject()) {
            throw new IllegalArgumentException("a deploy request must be a JSON object");
        }
        return read(resource, WireDeployRequest.class).toDomain(org, database);
    }

    /** Binds a tree to a wire record; a shape that does not fit becomes an {@link IllegalArgumentException}. */
    static <T> T read(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            // Jackson's message names the field and the expected type, not the payload.
            throw new IllegalArgumentException("unreadable PlanetScale JSON: " + e.getOriginalMessage(), e);
        }
    }
}
