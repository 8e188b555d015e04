package dev.cutover.planetscale;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a non-2xx answer into a {@link PlanetScaleException}. PlanetScale's envelope is
 * {@code {"code","message"}}, but error bodies also come empty, as {@code {}}, as HTML, in the
 * parameter-validation shape {@code {"errors":[…]}} and in the OAuth shape (planetscale-api.md §6.1).
 */
final class ErrorAnswer {
    /** Enough to show a person the gist of a non-JSON body (an HTML error page) without the page. */
    static final int MAX_SNIPPET = 200;

    private ErrorAnswer() {}

    static PlanetScaleException toException(int status, String body) {
        String text = body == null ? "" : body.strip();
        JsonNode json = parseObject(text);
        if (json == null) {
            return new PlanetScaleException(status, "", snippet(text));
        }
        if (json.hasNonNull("code") || json.hasNonNull("message")) {
            return new PlanetScaleException(status, oneLine(json.path("code").asText("")),
                    oneLine(json.path("message").asText("")));
        }
        if (json.hasNonNull("error")) {
            // OAuth access-token failures: {"error":"invalid_token","error_description":"…"}.
            return new PlanetScaleException(status, oneLine(json.path("error").asText("")),
                    oneLine(json.path("error_description").asText("")));
        }
        if (json.path("errors").isArray()) {
            return new PlanetScaleException(status, "", oneLine(validationMessage(json.path("errors"))));
        }
        return new PlanetScaleException(status, "", "");
    }

    /** {@code {"errors":[{"namespace","name","errors":["…"]}]}} as {@code name: error; name: error}. */
    private static String validationMessage(JsonNode errors) {
        List<String> parts = new ArrayList<>();
        for (JsonNode error : errors) {
            if (error.isTextual()) {
                parts.add(error.asText());
                continue;
            }
            String name = error.path("name").asText("");
            for (JsonNode detail : error.path("errors")) {
                String text = detail.asText("");
                parts.add(name.isEmpty() ? text : name + ": " + text);
            }
        }
        return String.join("; ", parts);
    }

    private static JsonNode parseObject(String text) {
        if (!text.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = PlanetScaleJson.mapper().readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A non-JSON body reduced to one short line of text: tags dropped, whitespace collapsed, truncated. */
    static String snippet(String body) {
        return oneLine(body.replaceAll("<[^>]*>", " "));
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_SNIPPET ? line : line.substring(0, MAX_SNIPPET - 1) + "…";
    }
}
