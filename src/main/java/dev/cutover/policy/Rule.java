package dev.cutover.policy;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One entry of the policy's {@code rules}: for these actions on these databases, only these users and user
 * groups may act.
 *
 * @param number 1-based position in the file, which is how a reason names the rule to a person
 * @param databases lower-case names, or {@code *} for every database
 * @param allow user IDs ({@code U…}/{@code W…}) and user-group IDs ({@code S…}) in file order
 */
record Rule(int number, List<String> actions, List<String> databases, List<String> allow) {
    static final String EVERY_DATABASE = "*";
    /** How many actions and people a reason lists before it abbreviates; a reason is read in a Slack reply. */
    private static final int ACTIONS_SHOWN = 2;
    private static final int PEOPLE_SHOWN = 6;

    Rule {
        actions = List.copyOf(actions);
        databases = databases.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        allow = List.copyOf(allow);
    }

    /**
     * Database names are compared ignoring case, so that {@code Shop#3} cannot slip past a rule written for
     * {@code shop} and fall through to an allowing default.
     */
    boolean matches(String action, String database) {
        return actions.contains(action)
                && (databases.contains(EVERY_DATABASE) || databases.contains(database.toLowerCase(Locale.ROOT)));
    }

    List<String> groups() {
        return allow.stream().filter(PolicyFile::isGroupId).toList();
    }

    /** "rule 1 (deploy, apply… on shop)". */
    String summary() {
        String shownActions = String.join(", ", actions.subList(0, Math.min(ACTIONS_SHOWN, actions.size())))
                + (actions.size() > ACTIONS_SHOWN ? "…" : "");
        String shownDatabases = databases.contains(EVERY_DATABASE) ? "every database" : String.join(", ", databases);
        return "rule " + number + " (" + shownActions + " on " + shownDatabases + ")";
    }

    /** "U0BOB, S0DBAS", abbreviated when the list is long. */
    String allowList() {
        String shown = allow.stream().limit(PEOPLE_SHOWN).collect(Collectors.joining(", "));
        return allow.size() > PEOPLE_SHOWN ? shown + " and " + (allow.size() - PEOPLE_SHOWN) + " more" : shown;
    }
}
