package dev.cutover.confirm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import java.util.Optional;

/**
 * What a confirmation modal confirms, carried in its {@code private_metadata} from the click to the submission
 * (Slack keeps no other state for us between the two): the action, the deploy request, the fingerprint of the
 * state the person saw, and where to answer.
 *
 * @param fingerprint {@link RiskAssessment#fingerprint} when the modal opened; {@link #UNREAD} when the state could
 *     not be read in time and the strongest confirmation was asked instead
 * @param typed the confirm step of a typed {@code /pscale} write, not a card's button
 * @param expectedName what the modal asks to be typed ("" when it asks nothing); private_metadata comes back only in
 *     Slack-signed submissions of the view Cutover opened, so it is trusted as Cutover wrote it
 */
record Pending(DeployAction action, DeployRef ref, String fingerprint, String channel, String messageTs,
        boolean ephemeral, String responseUrl, boolean typed, String expectedName) {
    static final String UNREAD = "unread";
    private static final ObjectMapper JSON = new ObjectMapper();

    String toMetadata() {
        ObjectNode node = JSON.createObjectNode();
        node.put("a", action.actionId());
        node.put("r", ref.toButtonValue());
        node.put("f", fingerprint);
        node.put("c", channel);
        node.put("m", messageTs);
        node.put("e", ephemeral);
        node.put("u", responseUrl);
        node.put("t", typed);
        node.put("n", expectedName);
        return node.toString();
    }

    /** Empty for metadata Cutover did not write (a forged or foreign submission). */
    static Optional<Pending> fromMetadata(String metadata) {
        try {
            JsonNode node = JSON.readTree(metadata == null ? "" : metadata);
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            Optional<DeployAction> action = DeployAction.fromActionId(node.path("a").asText(""));
            if (action.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Pending(action.get(), DeployRef.fromButtonValue(node.path("r").asText(null)),
                    node.path("f").asText(""), text(node, "c"), text(node, "m"), node.path("e").asBoolean(true),
                    text(node, "u"), node.path("t").asBoolean(false), node.path("n").asText("")));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
