package dev.cutover.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.util.json.GsonFactory;
import dev.cutover.render.DeployRequestCard;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks cards the way Slack sees them: serialized to JSON by the SDK, then read back (slack.md §4.2). */
final class BlockKit {
    private BlockKit() {}

    static JsonArray json(DeployRequestCard.Card card) {
        return JsonParser.parseString(GsonFactory.createSnakeCase().toJson(card.blocks())).getAsJsonArray();
    }

    /** Every string value anywhere in the serialized blocks, plus the fallback text. */
    static List<String> strings(DeployRequestCard.Card card) {
        List<String> strings = new ArrayList<>();
        collect(json(card), strings);
        strings.add(card.text());
        return strings;
    }

    static String allText(DeployRequestCard.Card card) {
        return String.join("\n", strings(card));
    }

    /** Every button in the card (actions blocks and section accessories). */
    static List<JsonObject> buttons(DeployRequestCard.Card card) {
        List<JsonObject> buttons = new ArrayList<>();
        for (JsonElement block : json(card)) {
            JsonObject object = block.getAsJsonObject();
            if (object.has("elements")) {
                for (JsonElement element : object.getAsJsonArray("elements")) {
                    if ("button".equals(element.getAsJsonObject().get("type").getAsString())) {
                        buttons.add(element.getAsJsonObject());
                    }
                }
            }
            if (object.has("accessory")) {
                buttons.add(object.getAsJsonObject("accessory"));
            }
        }
        return buttons;
    }

    static List<String> actionIds(DeployRequestCard.Card card) {
        return buttons(card).stream().map(b -> b.get("action_id").getAsString()).toList();
    }

    /** Asserts every Block Kit limit the card must respect. */
    static void assertWithinLimits(DeployRequestCard.Card card, int maxFallback) {
        assertThat(card.text()).isNotBlank().hasSizeLessThanOrEqualTo(maxFallback);
        JsonArray blocks = json(card);
        assertThat(blocks.size()).isBetween(1, 50);
        Set<String> blockIds = new HashSet<>();
        for (JsonElement element : blocks) {
            JsonObject block = element.getAsJsonObject();
            String blockId = block.get("block_id").getAsString();
            assertThat(blockId).hasSizeBetween(1, 255);
            assertThat(blockIds.add(blockId)).as("unique block_id %s", blockId).isTrue();
            switch (block.get("type").getAsString()) {
                case "header" -> {
                    assertThat(text(block)).hasSizeBetween(1, 150);
                    assertThat(block.getAsJsonObject("text").get("type").getAsString()).isEqualTo("plain_text");
                }
                case "section" -> {
                    assertThat(text(block)).hasSizeBetween(1, 3000);
                    if (block.has("accessory")) {
                        assertButton(block.getAsJsonObject("accessory"));
                    }
                }
                case "context" -> {
                    JsonArray elements = block.getAsJsonArray("elements");
                    assertThat(elements.size()).isBetween(1, 10);
                    elements.forEach(e -> assertThat(e.getAsJsonObject().get("text").getAsString()).hasSizeBetween(1, 3000));
                }
                case "actions" -> {
                    JsonArray elements = block.getAsJsonArray("elements");
                    assertThat(elements.size()).isBetween(1, 25);
                    Set<String> actionIds = new HashSet<>();
                    for (JsonElement button : elements) {
                        assertButton(button.getAsJsonObject());
                        assertThat(actionIds.add(button.getAsJsonObject().get("action_id").getAsString())).isTrue();
                    }
                }
                default -> throw new AssertionError("unexpected block type " + block.get("type"));
            }
        }
    }

    private static void assertButton(JsonObject button) {
        assertThat(button.get("type").getAsString()).isEqualTo("button");
        assertThat(button.getAsJsonObject("text").get("text").getAsString()).hasSizeBetween(1, 75);
        assertThat(button.get("action_id").getAsString()).hasSizeBetween(1, 255);
        if (button.has("value")) {
            assertThat(button.get("value").getAsString()).hasSizeBetween(1, 2000);
        }
        if (button.has("url")) {
            assertThat(button.get("url").getAsString()).hasSizeBetween(1, 3000);
        }
        if (button.has("style")) {
            assertThat(button.get("style").getAsString()).isIn("primary", "danger");
        }
        if (button.has("confirm")) {
            JsonObject confirm = button.getAsJsonObject("confirm");
            assertThat(confirm.getAsJsonObject("title").get("text").getAsString()).hasSizeBetween(1, 100);
            assertThat(confirm.getAsJsonObject("text").get("text").getAsString()).hasSizeBetween(1, 300);
            assertThat(confirm.getAsJsonObject("confirm").get("text").getAsString()).hasSizeBetween(1, 30);
            assertThat(confirm.getAsJsonObject("deny").get("text").getAsString()).hasSizeBetween(1, 30);
        }
    }

    private static String text(JsonObject block) {
        return block.getAsJsonObject("text").get("text").getAsString();
    }

    private static void collect(JsonElement element, List<String> strings) {
        if (element.isJsonArray()) {
            element.getAsJsonArray().forEach(e -> collect(e, strings));
        } else if (element.isJsonObject()) {
            element.getAsJsonObject().entrySet().forEach(e -> collect(e.getValue(), strings));
        } else if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
            strings.add(element.getAsString());
        }
    }
}
