package dev.cutover.planetscale;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a webhook resource holds, the parser answers with a request or an IllegalArgumentException. */
class PlanetScaleJsonProperties {
    /** Top-level fields, and with a {@code deployment.} prefix, fields of the nested deployment. */
    private static final List<String> FIELDS = List.of("number", "deployment_state", "state", "approved",
            "deployment", "actor", "closed_by", "created_at", "updated_at", "num_comments", "branch", "html_url",
            "deployment.state", "deployment.deployable", "deployment.lint_errors", "deployment.deploy_operations",
            "deployment.deployment_revert_request", "deployment.deploy_request_number", "deployment.queued_at",
            "deployment.actor");

    @Property(tries = 300)
    void anyFieldValue_parsesOrIsIllegalArgument(@ForAll("fields") String field, @ForAll("values") JsonNode value) {
        ObjectNode resource = Fixtures.json("deploy-request.json");
        if (field.startsWith("deployment.")) {
            ((ObjectNode) resource.get("deployment")).set(field.substring("deployment.".length()), value);
        } else {
            resource.set(field, value);
        }

        assertThatCode(() -> {
            try {
                PlanetScaleJson.deployRequest("acme", "shop", resource);
            } catch (IllegalArgumentException expected) {
                // The one failure the contract allows.
            }
        }).doesNotThrowAnyException();
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.of(FIELDS);
    }

    @Provide
    Arbitrary<JsonNode> values() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(nodes::textNode),
                Arbitraries.integers().map(nodes::numberNode),
                Arbitraries.doubles().map(nodes::numberNode),
                Arbitraries.of(true, false).map(nodes::booleanNode),
                Arbitraries.just(nodes.nullNode()),
                Arbitraries.just(nodes.arrayNode().add("x").add(3)),
                Arbitraries.just(nodes.arrayNode().add(nodes.nullNode())),
                Arbitraries.just(nodes.objectNode().put("state", 7)));
    }
}
