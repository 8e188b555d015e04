package dev.cutover.planetscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.EventType;
import dev.cutover.deploy.PlanetScaleEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Whatever a correctly signed sender puts in the body, the parser answers with an event or a 400, never a crash. */
class WebhookParserProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 2000)
    void anyBytes_parseOrFailAsMalformed(@ForAll @Size(max = 300) byte[] body) {
        assertOnlyMalformed(body);
    }

    @Property(tries = 1000)
    void anyJsonEnvelope_parsesOrFailsAsMalformed(@ForAll("envelopes") String body) {
        assertOnlyMalformed(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void anyText_parsesOrFailsAsMalformed(@ForAll @Size(max = 200) String body) {
        assertOnlyMalformed(body.getBytes(StandardCharsets.UTF_8));
    }

    @Example
    void opaqueHtmlUrlWithoutOrganization_isReadNotACrash() throws MalformedWebhookException {
        byte[] body = ("{\"event\":\"deploy_request.opened\",\"database\":\"shop\",\"resource\":{\"number\":7,"
                + "\"html_url\":\"mailto:x\"}}").getBytes(StandardCharsets.UTF_8);

        Webhook event = WebhookParser.parse(body, "test-org");

        assertThat(event.organization()).isEmpty();
        assertThat(event.deployRequestNumber()).contains(7);
        assertThat(event.event()).isInstanceOfSatisfying(PlanetScaleEvent.DeployRequestChanged.class,
                changed -> assertThat(changed.request().ref().org()).isEqualTo("test-org"));
    }

    @Example
    void deployRequestEventThatNamesNoDatabase_isMalformed_notACrashLater() {
        byte[] body = ("{\"event\":\"deploy_request.opened\",\"resource\":{\"number\":7,"
                + "\"html_url\":\"mailto:x\"}}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WebhookParser.parse(body, "test-org")).isInstanceOf(MalformedWebhookException.class);
    }

    @Example
    void unknownEventName_isReadAsUnknown_withItsNameKept() throws MalformedWebhookException {
        byte[] body = "{\"event\":\"branch.renamed\",\"database\":\"shop\",\"resource\":{}}"
                .getBytes(StandardCharsets.UTF_8);

        Webhook event = WebhookParser.parse(body, "test-org");

        assertThat(event.type()).isEqualTo(EventType.UNKNOWN);
        assertThat(event.name()).isEqualTo("branch.renamed");
    }

    /**
     * Intake reads only the envelope, by streaming; delivery reads the whole body. Whatever the body, the two agree:
     * what intake records (keys, number, database) is what delivery acts on, and a body intake refuses is one
     * delivery could not read either.
     */
    @Property(tries = 1000)
    void theStreamedEnvelope_agreesWithTheTree(@ForAll("envelopes") String text) throws Exception {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        JsonNode root = JSON.readTree(body);
        JsonNode resource = root.path("resource");
        WebhookEnvelope envelope;
        try {
            envelope = WebhookParser.envelope(body, "test-org");
        } catch (MalformedWebhookException refused) {
            assertThatThrownBy(() -> WebhookParser.parse(body, "test-org")).isInstanceOf(MalformedWebhookException.class);
            return;
        }
        assertThat(envelope.name()).isEqualTo(root.path("event").asText());
        if (envelope.type().isDeployRequest()) {
            assertThat(envelope.deployRequestNumber()).contains(resource.path("number").asInt());
        } else {
            assertThat(envelope.deployRequestNumber()).isEmpty();
        }
        if (root.path("database").isTextual() && !root.path("database").asText().isBlank()) {
            assertThat(envelope.database()).isEqualTo(root.path("database").asText());
        }
        String id = resource.path("id").isTextual() ? resource.path("id").asText() : "";
        String updatedAt = resource.path("updated_at").isTextual() ? resource.path("updated_at").asText() : "";
        if (!id.isBlank() && !updatedAt.isBlank()) {
            assertThat(envelope.dedupeKey()).isEqualTo(envelope.name() + "|" + id + "|" + updatedAt);
        } else {
            assertThat(envelope.dedupeKey()).startsWith(envelope.name() + "|sha256:");
        }
        Instant expected = null;
        try {
            expected = updatedAt.isBlank() ? null : Instant.parse(updatedAt);
        } catch (DateTimeParseException unreadable) {
            // absent, as for the envelope
        }
        assertThat(envelope.resourceUpdatedAt()).isEqualTo(Optional.ofNullable(expected));
        try {
            Webhook full = WebhookParser.parse(body, "test-org");
            assertThat(full.dedupeKey()).isEqualTo(envelope.dedupeKey());
            assertThat(full.type()).isEqualTo(envelope.type());
        } catch (MalformedWebhookException bindingOnly) {
            // Only the deploy request's binding may fail after the envelope passed.
            assertThat(envelope.type().isDeployRequest()).isTrue();
        }
    }

    @Example
    void aRepeatedKey_keepsItsLastValue_asTheTreeDoes() throws MalformedWebhookException {
        byte[] body = ("{\"event\":\"deploy_request.opened\",\"database\":\"a\",\"resource\":{\"number\":1},"
                + "\"database\":\"shop\",\"resource\":{\"number\":7,\"extra\":{\"number\":9},\"list\":[1,{\"n\":2}]}}")
                .getBytes(StandardCharsets.UTF_8);

        WebhookEnvelope envelope = WebhookParser.envelope(body, "test-org");

        assertThat(envelope.database()).isEqualTo("shop");
        assertThat(envelope.deployRequestNumber()).contains(7);
    }

    @Example
    void aBodyCutShort_isMalformed() {
        byte[] body = "{\"event\":\"deploy_request.opened\",\"database\":\"shop\",\"resource\":{\"number\":7"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WebhookParser.envelope(body, "test-org")).isInstanceOf(MalformedWebhookException.class);
    }

    private static void assertOnlyMalformed(byte[] body) {
        assertThatCode(() -> {
            try {
                WebhookParser.parse(body, "test-org");
            } catch (MalformedWebhookException expected) {
                // the one failure the servlet turns into 400
            }
            try {
                WebhookParser.envelope(body, "test-org");
            } catch (MalformedWebhookException expected) {
                // the one failure the servlet turns into 400
            }
        }).doesNotThrowAnyException();
    }

    /** Envelopes whose fields are sometimes right, sometimes the wrong type, sometimes odd strings. */
    @Provide
    Arbitrary<String> envelopes() {
        Arbitrary<Object> anyValue = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.of("deploy_request.opened", "webhook.test", "branch.ready", "", " ", "mailto:x",
                        "https://app.planetscale.com/org/db/deploy-requests/7", "http://[::1", "urn:isbn:1",
                        "2026-11-21T12:00:00Z", "2026-13-45", "-1", "0", "7", "1e999").map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        Arbitrary<String> event = Arbitraries.of("deploy_request.opened", "deploy_request.closed", "webhook.test",
                "branch.ready", "keyspace.storage", "unknown.event", "");
        return Combinators.combine(event, anyValue, anyValue, anyValue, anyValue, anyValue, anyValue)
                .as((name, organization, database, number, updatedAt, htmlUrl, id) -> {
                    ObjectNode root = JSON.createObjectNode();
                    root.put("event", name);
                    root.putPOJO("organization", organization);
                    root.putPOJO("database", database);
                    ObjectNode resource = root.putObject("resource");
                    resource.putPOJO("number", number);
                    resource.putPOJO("updated_at", updatedAt);
                    resource.putPOJO("html_url", htmlUrl);
                    resource.putPOJO("id", id);
                    resource.putPOJO("name", database);
                    return root.toString();
                });
    }
}
