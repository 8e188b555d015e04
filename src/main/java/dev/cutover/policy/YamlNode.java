package dev.cutover.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document as a tree that remembers where each node starts. Jackson's own {@code JsonNode} forgets
 * positions, and the policy's semantic errors (an unknown action, a bad user ID) must name their line too.
 */
sealed interface YamlNode {
    /** Where the node starts in the file. */
    Position position();

    /** A 1-based line and column. */
    record Position(int line, int column) {
        static Position of(JsonLocation location) {
            return new Position(Math.max(location.getLineNr(), 1), Math.max(location.getColumnNr(), 1));
        }
    }

    /** A plain value exactly as written ({@code yes} stays "yes"); {@code null} text for {@code ~} or nothing. */
    record Scalar(String text, Position position) implements YamlNode {
        boolean isNull() {
            return text == null;
        }
    }

    record Sequence(List<YamlNode> items, Position position) implements YamlNode {}

    /** Keys in file order, each with its own position. */
    record Mapping(Map<String, Entry> entries, Position position) implements YamlNode {}

    record Entry(String key, Position keyPosition, YamlNode value) {}

    /** The document's structure is not what YAML allows here, or uses a feature the policy refuses. */
    final class SyntaxException extends Exception {
        private final Position position;

        SyntaxException(String message, Position position) {
            super(message);
            this.position = position;
        }

        Position position() {
            return position;
        }
    }

    /**
     * Parses a single YAML document.
     *
     * @return empty when the text holds no document at all (empty, or only comments)
     * @throws SyntaxException for invalid YAML, duplicate keys, aliases or a second document
     */
    static Optional<YamlNode> parse(String text) throws SyntaxException {
        try (YAMLParser parser = new YAMLFactory().createParser(text)) {
            if (parser.nextToken() == null) {
                return Optional.empty();
            }
            YamlNode root = read(parser);
            if (parser.nextToken() != null) {
                throw new SyntaxException("only one YAML document is allowed (found a second one after ---)",
                        Position.of(parser.currentTokenLocation()));
            }
            return Optional.of(root);
        } catch (JsonParseException e) {
            throw new SyntaxException("YAML syntax error: " + describe(e), syntaxErrorPosition(e));
        } catch (IOException e) {
            // The text is already in memory, so this is a parse failure Jackson did not classify.
            throw new SyntaxException("YAML syntax error: " + e.getMessage(), new Position(1, 1));
        }
    }

    private static YamlNode read(YAMLParser parser) throws IOException, SyntaxException {
        Position position = Position.of(parser.currentTokenLocation());
        if (parser.isCurrentAlias()) {
            // Aliases would let one line expand into many rules; the policy is short enough to write out.
            throw new SyntaxException("YAML aliases (*" + parser.getText() + ") are not supported; write the values out",
                    position);
        }
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser));
                }
                return new Sequence(List.copyOf(items), position);
            }
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Position keyPosition = Position.of(parser.currentTokenLocation());
                    if (entries.containsKey(key)) {
                        throw new SyntaxException("duplicate key '" + key + "' (first at line "
                                + entries.get(key).keyPosition().line() + ")", keyPosition);
                    }
                    parser.nextToken();
                    entries.put(key, new Entry(key, keyPosition, read(parser)));
                }
                return new Mapping(Collections.unmodifiableMap(entries), position);
            }
            case VALUE_NULL -> {
                return new Scalar(null, position);
            }
            default -> {
                return new Scalar(parser.getText(), position);
            }
        }
    }

    /** Where SnakeYAML saw the problem; Jackson's own location can lag behind it (a tab shows on the line before). */
    private static Position syntaxErrorPosition(JsonParseException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            // SnakeYAML's marks are 0-based.
            return new Position(marked.getProblemMark().getLine() + 1, marked.getProblemMark().getColumn() + 1);
        }
        return e.getLocation() == null ? new Position(1, 1) : Position.of(e.getLocation());
    }

    /** SnakeYAML's problem and context without its multi-line source excerpt, which is noise in a log line. */
    private static String describe(JsonParseException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            String context = marked.getContext();
            if (context != null && marked.getContextMark() != null) {
                return marked.getProblem() + " (" + context + " at line " + (marked.getContextMark().getLine() + 1)
                        + ", column " + (marked.getContextMark().getColumn() + 1) + ")";
            }
            return marked.getProblem();
        }
        String message = e.getOriginalMessage();
        return message == null ? "unreadable YAML" : message.lines().findFirst().orElse(message);
    }
}
