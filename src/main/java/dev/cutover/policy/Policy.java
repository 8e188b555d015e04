package dev.cutover.policy;

import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what through Cutover, read from {@code CUTOVER_POLICY_FILE}. Every Slack user reaches PlanetScale
 * through one shared service token, so this is the only thing standing between a user and a write.
 *
 * <p>The file's format:
 * <pre>{@code
 * default: allow          # allow | deny, for actions no rule matches; optional, allow when absent
 * rules:                  # required; the first rule matching action and database decides
 *   - actions: [deploy, apply, cancel, revert, skip_revert, close]
 *     databases: [shop]   # or ["*"]
 *     allow: [U0BOB, S0DBAS]   # Slack user IDs and user-group IDs
 * people:                 # optional: Slack user ID -> PlanetScale actor id (never a display name)
 *   U0BOB: 4xsz0ql82y4n
 * }</pre>
 * A rule that matches the action and database but not the user denies; it does not fall through to later
 * rules. Reads ({@code list}, {@code show}, {@code queue}, {@code help}) are always allowed, so callers never
 * ask about them.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class Policy {
    /** The policy name of {@code /pscale subscribe} (and {@code unsubscribe}), governed although it is not a deploy action. */
    public static final String SUBSCRIBE = "subscribe";
    /** The policy name of installation work: {@code /pscale webhooks setup} and the admin channel's Re-enable button. */
    public static final String ADMIN = "admin";

    /** Every action name the policy governs, in the order the docs list them. */
    public static final Set<String> ACTIONS = Collections.unmodifiableSet(new LinkedHashSet<>(Stream.concat(
            Arrays.stream(DeployAction.values()).map(DeployAction::policyName), Stream.of(SUBSCRIBE, ADMIN))
            .toList()));

    static final String NO_FILE_WARNING = "no policy file (CUTOVER_POLICY_FILE): every Slack user may do"
            + " everything, including approving their own deploy requests";

    private static final Logger log = LoggerFactory.getLogger(Policy.class);

    private final boolean allowAll;
    private final boolean defaultAllows;
    private final List<Rule> rules;
    private final Map<String, String> people;
    private final List<String> warnings;
    /** {@code identity: linked}: writes need a linked PlanetScale account, never the service token. */
    private boolean linkRequired;
    private final Safeguards safeguards;

    Policy(boolean allowAll, boolean defaultAllows, List<Rule> rules, Map<String, String> people,
            List<String> warnings) {
        this(allowAll, defaultAllows, rules, people, warnings, Safeguards.DEFAULT);
    }

    Policy(boolean allowAll, boolean defaultAllows, List<Rule> rules, Map<String, String> people,
            List<String> warnings, Safeguards safeguards) {
        this.safeguards = safeguards;
        this.allowAll = allowAll;
        this.defaultAllows = defaultAllows;
        this.rules = List.copyOf(rules);
        this.people = Map.copyOf(people);
        this.warnings = List.copyOf(warnings);
    }

    /** The policy when there is no file: everything is allowed, with a warning to log at start-up. */
    public static Policy allowAll() {
        return new Policy(true, true, List.of(), Map.of(), List.of(NO_FILE_WARNING));
    }

    /**
     * Reads and checks a policy file.
     *
     * @throws PolicyException naming the file and, for each problem, its line and column: unreadable file,
     *     invalid YAML, unknown keys, a {@code default} other than allow/deny, a rule without actions,
     *     databases or allow (or with an empty one), unknown actions, malformed Slack IDs
     */
    public static Policy load(Path file) {
        return PolicyFile.read(Objects.requireNonNull(file, "file"));
    }

    /** {@link #load(Path)} when a file is configured ({@code Config.policyFile()}), else {@link #allowAll()}. */
    public static Policy loadOrAllowAll(Optional<Path> file) {
        return file.map(Policy::load).orElseGet(Policy::allowAll);
    }

    /**
     * Decides whether a Slack user may take an action on a database. Group membership is asked of
     * {@code groups} only when a deciding rule lists groups and not the user directly; a group that cannot be
     * resolved counts as not containing the user, and the reason says so.
     *
     * @param action a name from {@link #ACTIONS}, e.g. {@link DeployAction#policyName()}
     * @throws IllegalArgumentException for an action the policy does not govern, such as a read
     */
    public Decision check(String slackUserId, String action, String database, GroupMembers groups) {
        Objects.requireNonNull(slackUserId, "slackUserId");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(groups, "groups");
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("'" + action + "' is not governed by the policy; reads are always"
                    + " allowed and must not be checked");
        }
        if (allowAll) {
            return new Decision(true, "no policy file: everyone may do everything");
        }
        for (Rule rule : rules) {
            if (rule.matches(action, database)) {
                return decide(rule, slackUserId, groups);
            }
        }
        return defaultAllows ? new Decision(true, "default: allow") : new Decision(false, "default: deny");
    }

    /**
     * Because everyone shares one token, PlanetScale cannot refuse an author's own approval; this does.
     *
     * @return why {@code slackUserId} may not approve {@code request}, when {@code people} maps them to its
     *     author's actor id. Ids only, compared exactly: a display name is chosen by its owner, so an author could
     *     rename themselves ("Dana  Dev", "Dana Dev.", a zero-width space) out of any name-based match.
     */
    public Optional<String> selfApprovalConflict(String slackUserId, DeployRequest request) {
        String actor = people.get(slackUserId);
        if (actor == null) {
            return Optional.empty();
        }
        Actor author = request.author();
        if (!author.id().equals(actor)) {
            return Optional.empty();
        }
        return Optional.of("you opened " + request.ref() + " (as " + author.name()
                + "), and a deploy request must be approved by someone other than its author");
    }

    /** A copy (of a freshly read policy) with the {@code identity} setting. */
    Policy withLinkRequired(boolean required) {
        Policy copy = new Policy(allowAll, defaultAllows, rules, people, warnings, safeguards);
        copy.linkRequired = required;
        return copy;
    }

    /**
     * {@code identity: linked}: a write by someone without a linked PlanetScale account is refused (with a link
     * button) instead of going through the service token; {@code identity: shared} (the default) lets it.
     */
    public boolean requiresLinkedIdentity() {
        return linkRequired;
    }

    /** Second person, gated production and the moments that need a human ({@link Safeguards#DEFAULT} without a file). */
    public Safeguards safeguards() {
        return safeguards;
    }

    /** True when there was no policy file, so every check allows. */
    public boolean isAllowAll() {
        return allowAll;
    }

    /** What an operator should know at start-up, e.g. that there is no file; empty when all is well. */
    public List<String> warnings() {
        return warnings;
    }

    private Decision decide(Rule rule, String slackUserId, GroupMembers groups) {
        if (rule.allow().contains(slackUserId)) {
            return new Decision(true, rule.summary() + " allows " + slackUserId);
        }
        List<String> unresolved = new ArrayList<>();
        for (String group : rule.groups()) {
            try {
                if (groups.members(group).contains(slackUserId)) {
                    return new Decision(true, rule.summary() + " allows " + slackUserId + " through " + group);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unresolved.add(group);
            } catch (Exception e) {
                log.warn("Could not resolve Slack user group {} for policy {}: {}", group, rule.summary(), e.toString());
                unresolved.add(group);
            }
        }
        String reason = rule.summary() + " allows only " + rule.allowList();
        if (!unresolved.isEmpty()) {
            reason += "; user group " + String.join(", ", unresolved) + " could not be resolved, try again shortly";
        }
        return new Decision(false, reason);
    }
}
