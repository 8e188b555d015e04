package dev.cutover.policy;

import dev.cutover.deploy.DeployRef;
import dev.cutover.policy.PolicyException.Problem;
import dev.cutover.policy.YamlNode.Entry;
import dev.cutover.policy.YamlNode.Mapping;
import dev.cutover.policy.YamlNode.Position;
import dev.cutover.policy.YamlNode.Scalar;
import dev.cutover.policy.YamlNode.Sequence;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the policy file and checks everything in it before Cutover starts, collecting every problem with its
 * line and column so an operator fixes the file in one pass.
 */
final class PolicyFile {
    /** Slack user IDs start with U, or W on Enterprise Grid; user-group IDs start with S. */
    private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");
    private static final Pattern GROUP_ID = Pattern.compile("S[A-Z0-9]{2,}");
    /**
     * What {@code deployment.actor.id} and a review's {@code actor.id} carry: PlanetScale's public ids are 12
     * lowercase letters and digits; dashes and underscores are allowed too (the sandbox's ids have them). Anything
     * with a space, a capital, a dot or a non-ASCII letter is a display name, which its owner can change at will.
     */
    static final java.util.regex.Pattern ACTOR_ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("default", "rules", "people", "identity",
            "require_second_person", "second_person_expiry", "gated_production", "queue_blocker_after",
            "stuck_cutover_after");
    private static final Set<String> RULE_KEYS = Set.of("actions", "databases", "allow");
    private static final Set<String> READS = Set.of("list", "show", "queue", "help");
    static final String NO_PEOPLE_WARNING = "the policy file has no people: Cutover cannot tell which Slack user"
            + " opened a deploy request, so it cannot refuse self-approval";

    private final Path file;
    private final List<Problem> problems = new ArrayList<>();

    private PolicyFile(Path file) {
        this.file = file;
    }

    /** @throws PolicyException listing every problem, each with its line and column */
    static Policy read(Path file) {
        return new PolicyFile(file).parse(readText(file));
    }

    static boolean isUserId(String id) {
        return USER_ID.matcher(id).matches();
    }

    static boolean isGroupId(String id) {
        return GROUP_ID.matcher(id).matches();
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "cannot be read: there is no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(file, "cannot be read: permission denied");
        } catch (CharacterCodingException e) {
            throw unreadable(file, "cannot be read: it is not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(file, "cannot be read: " + e.getMessage());
        }
    }

    private static PolicyException unreadable(Path file, String message) {
        return new PolicyException(file, List.of(new Problem(0, 0, message)));
    }

    private Policy parse(String text) {
        Optional<YamlNode> root;
        try {
            root = YamlNode.parse(text);
        } catch (YamlNode.SyntaxException e) {
            problem(e.position(), e.getMessage());
            throw failure();
        }
        if (root.isEmpty()) {
            problem(new Position(1, 1), "the file is empty; it needs at least a rules: list");
            throw failure();
        }
        if (!(root.get() instanceof Mapping top)) {
            problem(root.get().position(), "expected the keys default, rules and people at the top level");
            throw failure();
        }

        boolean defaultAllows = true;
        List<Rule> rules = List.of();
        Map<String, String> people = Map.of();
        boolean linkRequired = false;
        Safeguards safeguards = Safeguards.DEFAULT;
        for (Entry entry : top.entries().values()) {
            switch (entry.key()) {
                case "identity" -> linkRequired = linkRequired(entry.value());
                case "default" -> defaultAllows = defaultAllows(entry.value());
                case "rules" -> rules = rules(entry.value());
                case "people" -> people = people(entry.value());
                case "require_second_person" -> safeguards = new Safeguards(Set.copyOf(list(top, entry.key(),
                        "require_second_person", this::secondPersonProblem)), safeguards.secondPersonExpiry(),
                        safeguards.gatedProduction(), safeguards.queueBlockerAfter(), safeguards.stuckCutoverAfter());
                case "gated_production" -> safeguards = new Safeguards(safeguards.requireSecondPerson(),
                        safeguards.secondPersonExpiry(), Set.copyOf(list(top, entry.key(), "gated_production",
                                this::databaseProblem)), safeguards.queueBlockerAfter(), safeguards.stuckCutoverAfter());
                case "second_person_expiry" -> safeguards = new Safeguards(safeguards.requireSecondPerson(),
                        duration(entry, safeguards.secondPersonExpiry()), safeguards.gatedProduction(),
                        safeguards.queueBlockerAfter(), safeguards.stuckCutoverAfter());
                case "queue_blocker_after" -> safeguards = new Safeguards(safeguards.requireSecondPerson(),
                        safeguards.secondPersonExpiry(), safeguards.gatedProduction(),
                        duration(entry, safeguards.queueBlockerAfter()), safeguards.stuckCutoverAfter());
                case "stuck_cutover_after" -> safeguards = new Safeguards(safeguards.requireSecondPerson(),
                        safeguards.secondPersonExpiry(), safeguards.gatedProduction(), safeguards.queueBlockerAfter(),
                        duration(entry, safeguards.stuckCutoverAfter()));
                default -> problem(entry.keyPosition(), "unknown key '" + entry.key()
                        + "' (the top level has " + String.join(", ", TOP_LEVEL_KEYS.stream().sorted().toList()) + ")");
            }
        }
        if (!top.entries().containsKey("rules")) {
            problem(top.position(), "rules is missing; the policy needs at least one rule");
        }
        if (!problems.isEmpty()) {
            throw failure();
        }
        // With identity: linked PlanetScale sees the person and Cutover checks self-approval by the link's actor id.
        List<String> warnings = people.isEmpty() && !linkRequired ? List.of(NO_PEOPLE_WARNING) : List.of();
        return new Policy(false, defaultAllows, rules, people, warnings, safeguards).withLinkRequired(linkRequired);
    }

    /** {@code identity: shared} (the default: the service token for unlinked users) or {@code linked}. */
    private boolean linkRequired(YamlNode value) {
        if (value instanceof Scalar scalar && "shared".equals(scalar.text())) {
            return false;
        }
        if (value instanceof Scalar scalar && "linked".equals(scalar.text())) {
            return true;
        }
        problem(value.position(), "identity must be shared or linked, got " + shown(value));
        return false;
    }

    private boolean defaultAllows(YamlNode value) {
        if (value instanceof Scalar scalar && "allow".equals(scalar.text())) {
            return true;
        }
        if (value instanceof Scalar scalar && "deny".equals(scalar.text())) {
            return false;
        }
        problem(value.position(), "default must be allow or deny, got " + shown(value));
        return true;
    }

    private List<Rule> rules(YamlNode value) {
        if (!(value instanceof Sequence sequence) || sequence.items().isEmpty()) {
            problem(value.position(), (isEmpty(value) ? "rules is empty" : "rules must be a list")
                    + "; each rule is a '- actions: [...]' entry with databases and allow");
            return List.of();
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            rule(i + 1, sequence.items().get(i)).ifPresent(rules::add);
        }
        return rules;
    }

    private Optional<Rule> rule(int number, YamlNode node) {
        String name = "rule " + number;
        if (!(node instanceof Mapping mapping)) {
            problem(node.position(), name + ": expected actions, databases and allow");
            return Optional.empty();
        }
        for (Entry entry : mapping.entries().values()) {
            if (!RULE_KEYS.contains(entry.key())) {
                problem(entry.keyPosition(), name + ": unknown key '" + entry.key()
                        + "' (a rule has actions, databases and allow)");
            }
        }
        int before = problems.size();
        List<String> actions = list(mapping, "actions", name, this::actionProblem);
        List<String> databases = list(mapping, "databases", name, this::databaseProblem);
        List<String> allow = list(mapping, "allow", name, this::allowProblem);
        return problems.size() == before ? Optional.of(new Rule(number, actions, databases, allow)) : Optional.empty();
    }

    /** A rule's list of plain values, each checked by {@code check}, which names what is wrong or returns null. */
    private List<String> list(Mapping rule, String key, String name, Function<String, String> check) {
        Entry entry = rule.entries().get(key);
        if (entry == null) {
            problem(rule.position(), name + " has no " + key);
            return List.of();
        }
        YamlNode value = entry.value();
        if (!(value instanceof Sequence sequence) || sequence.items().isEmpty()) {
            problem(value.position(), isEmpty(value)
                    ? name + ": " + key + " is empty"
                    : name + ": " + key + " must be a list, e.g. " + key + ": [" + shownText(value) + "]");
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (YamlNode item : sequence.items()) {
            if (!(item instanceof Scalar scalar) || scalar.isNull() || scalar.text().isBlank()) {
                problem(item.position(), name + ": " + key + " must hold plain values, not " + shown(item));
                continue;
            }
            String wrong = check.apply(scalar.text());
            if (wrong != null) {
                problem(item.position(), name + ": " + wrong);
            }
            values.add(scalar.text());
        }
        return values;
    }

    private String secondPersonProblem(String name) {
        return Safeguards.SECOND_PERSON_NAMES.contains(name) ? null : "unknown action '" + name + "' (valid: "
                + String.join(", ", Safeguards.SECOND_PERSON_NAMES) + ")";
    }

    /** A duration such as 30m; a malformed one is a problem at its position and leaves {@code otherwise}. */
    private java.time.Duration duration(Entry entry, java.time.Duration otherwise) {
        java.time.Duration parsed = entry.value() instanceof Scalar scalar && !scalar.isNull()
                ? Safeguards.duration(scalar.text()) : null;
        if (parsed == null) {
            problem(entry.value().position(), entry.key() + " must be a duration such as 30s, 30m, 2h or 1d, got "
                    + shown(entry.value()));
            return otherwise;
        }
        return parsed;
    }

    private String actionProblem(String action) {
        if (Policy.ACTIONS.contains(action)) {
            return null;
        }
        String valid = "valid actions: " + String.join(", ", Policy.ACTIONS);
        return READS.contains(action)
                ? "'" + action + "' is a read, which everyone may always do (" + valid + ")"
                : "unknown action '" + action + "' (" + valid + ")";
    }

    private String databaseProblem(String database) {
        return Rule.EVERY_DATABASE.equals(database) || DeployRef.isValidName(database)
                ? null
                : "'" + database + "' is not a database name (letters, digits, '-', '_' and '.') or \"*\"";
    }

    private String allowProblem(String id) {
        return isUserId(id) || isGroupId(id)
                ? null
                : "'" + id + "' is neither a Slack user ID (U… or W…) nor a user-group ID (S…)";
    }

    private Map<String, String> people(YamlNode value) {
        if (isEmpty(value)) {
            return Map.of();
        }
        if (!(value instanceof Mapping mapping)) {
            problem(value.position(), "people must map Slack user IDs to PlanetScale actor ids, e.g. U0BOB: 4xsz0ql82y4n");
            return Map.of();
        }
        Map<String, String> people = new LinkedHashMap<>();
        for (Entry entry : mapping.entries().values()) {
            if (!isUserId(entry.key())) {
                problem(entry.keyPosition(), "'" + entry.key() + "' in people is not a Slack user ID (U… or W…)");
            } else if (!(entry.value() instanceof Scalar actor) || actor.isNull() || actor.text().isBlank()) {
                problem(entry.value().position(), entry.key()
                        + " in people needs a PlanetScale actor id, got " + shown(entry.value()));
            } else if (!ACTOR_ID.matcher(actor.text().trim()).matches()) {
                problem(entry.value().position(), entry.key() + " in people must be a PlanetScale actor id (such as"
                        + " 4xsz0ql82y4n), not a display name like " + shown(entry.value()) + ": anyone can change"
                        + " their display name. The author line of /pscale show <database> <number> shows the id of"
                        + " whoever opened that deploy request");
            } else {
                people.put(entry.key(), actor.text().trim());
            }
        }
        return people;
    }

    private static boolean isEmpty(YamlNode node) {
        return node instanceof Scalar scalar && scalar.isNull()
                || node instanceof Sequence sequence && sequence.items().isEmpty()
                || node instanceof Mapping mapping && mapping.entries().isEmpty();
    }

    /** How a value reads in a message: quoted text, or what kind of node it is. */
    private static String shown(YamlNode node) {
        if (node instanceof Scalar scalar) {
            return scalar.isNull() ? "nothing" : "'" + scalar.text() + "'";
        }
        return node instanceof Sequence ? "a list" : "a mapping";
    }

    private static String shownText(YamlNode node) {
        return node instanceof Scalar scalar && !scalar.isNull() ? scalar.text() : "…";
    }

    private void problem(Position position, String message) {
        problems.add(new Problem(position.line(), position.column(), message));
    }

    private PolicyException failure() {
        List<Problem> sorted = problems.stream()
                .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
                .toList();
        return new PolicyException(file, sorted);
    }
}
