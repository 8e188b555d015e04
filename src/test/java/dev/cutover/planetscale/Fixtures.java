package dev.cutover.planetscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Canned PlanetScale JSON from {@code src/test/resources/planetscale/}, modelled on the API reference. */
final class Fixtures {
    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/planetscale/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode json(String name) {
        try {
            return (ObjectNode) PlanetScaleJson.mapper().readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list envelope around {@code items}; {@code nextPage} null marks the last page. */
    static String page(Integer nextPage, JsonNode... items) {
        ObjectNode page = PlanetScaleJson.mapper().createObjectNode();
        page.put("type", "list");
        page.put("per_page", HttpPlanetScaleApi.PER_PAGE);
        if (nextPage == null) {
            page.putNull("next_page");
        } else {
            page.put("next_page", nextPage);
        }
        ArrayNode data = page.putArray("data");
        for (JsonNode item : items) {
            data.add(item);
        }
        return page.toString();
    }

    static ObjectNode named(String name) {
        return PlanetScaleJson.mapper().createObjectNode().put("name", name);
    }

    /** The full deploy request fixture renumbered, for lists of distinct requests. */
    static ObjectNode deployRequest(int number) {
        return json("deploy-request.json").put("number", number);
    }
}
