package dev.cutover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads Block Kit JSON as the fake Slack received it: the buttons of a card and all the words it shows. */
public final class Cards {
    private Cards() {}

    /** Every button: elements of actions blocks and section accessories, in order. */
    public static List<JsonNode> buttons(JsonNode blocks) {
        List<JsonNode> buttons = new ArrayList<>();
        if (blocks == null) {
            return buttons;
        }
        for (JsonNode block : blocks) {
            for (JsonNode element : block.path("elements")) {
                if ("button".equals(element.path("type").asText())) {
                    buttons.add(element);
                }
            }
            if ("button".equals(block.path("accessory").path("type").asText())) {
                buttons.add(block.path("accessory"));
            }
        }
        return buttons;
    }

    public static List<String> actionIds(JsonNode blocks) {
        return buttons(blocks).stream().map(button -> button.path("action_id").asText()).toList();
    }

    public static Optional<JsonNode> button(JsonNode blocks, String actionId) {
        return buttons(blocks).stream().filter(button -> actionId.equals(button.path("action_id").asText()))
                .findFirst();
    }

    /** Every string in {@code node} (a message body, blocks, a button), joined by new lines. */
    public static String text(JsonNode node) {
        StringBuilder text = new StringBuilder();
        collect(node, text);
        return text.toString();
    }

    private static void collect(JsonNode node, StringBuilder text) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            text.append(node.asText()).append('\n');
        }
        node.forEach(child -> collect(child, text));
    }
}
