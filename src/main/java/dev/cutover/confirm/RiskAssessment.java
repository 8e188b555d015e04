package dev.cutover.confirm;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one decision of how strongly an action on a deploy request must be confirmed, and what the confirmation says.
 * Derived from the action and the deploy request's operations ({@code can_drop_data}, planetscale-api.md §4.3):
 * the card asks it whether a button gets a dialog, the click whether to open a modal, the modal's submission
 * whether the state it confirmed is still the state now.
 *
 * @param dropping the operations PlanetScale says can drop data (only for deploys)
 * @param expectedName what the person must type for {@link ConfirmationLevel#TYPED_NAME}, else ""
 * @param consequences plain-words lines the modal states
 */
public record RiskAssessment(DeployAction action, ConfirmationLevel level, List<DeployOperation> dropping,
        String expectedName, List<String> consequences) {
    private static final Pattern CREATE_TABLE = Pattern.compile("(?i)\\bCREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?`?(\\w+)`?");
    private static final Pattern ALTER_TABLE = Pattern.compile("(?i)\\bALTER\\s+TABLE\\s+`?(\\w+)`?");
    private static final Pattern ADD_COLUMN = Pattern.compile("(?i)\\bADD\\s+(?:COLUMN\\s+)?(?!(?:INDEX|KEY|UNIQUE"
            + "|CONSTRAINT|PRIMARY|FULLTEXT|SPATIAL|FOREIGN|CHECK|PARTITION)\\b)`?(\\w+)`?");
    private static final Pattern CHANGE_COLUMN = Pattern.compile("(?i)\\b(?:MODIFY|CHANGE)\\s+(?:COLUMN\\s+)?`?(\\w+)`?");
    private static final Pattern DROP_INDEX = Pattern.compile("(?i)\\bDROP\\s+(?:INDEX|KEY)\\s+`?(\\w+)`?");

    public RiskAssessment {
        dropping = List.copyOf(dropping);
        consequences = List.copyOf(consequences);
        expectedName = expectedName == null ? "" : expectedName;
    }

    /** How {@code action} on {@code request} (as last read) must be confirmed. */
    public static RiskAssessment of(DeployAction action, DeployRequest request) {
        List<DeployOperation> operations = request.deploymentIfPresent().map(Deployment::operations).orElse(List.of());
        List<DeployOperation> dropping = operations.stream().filter(DeployOperation::canDropData).toList();
        String database = request.ref().database();
        String into = "`" + request.intoBranch() + "`";
        boolean deploy = action == DeployAction.DEPLOY || action == DeployAction.DEPLOY_INSTANT;
        List<String> consequences = new ArrayList<>();
        if (action == DeployAction.DEPLOY_INSTANT) {
            consequences.add("Instant deploys cannot be reverted: there is no revert window, the change is permanent"
                    + " in " + into + " at once.");
        }
        if (deploy && !dropping.isEmpty()) {
            Set<String> tables = new LinkedHashSet<>();
            dropping.forEach(operation -> tables.add(operation.table()));
            consequences.add("PlanetScale says " + (dropping.size() == 1 ? "this operation" : "these operations")
                    + " can drop data; what is dropped cannot be brought back by Cutover.");
            String expected = tables.size() == 1 && !tables.iterator().next().isBlank() ? tables.iterator().next()
                    : database;
            return new RiskAssessment(action, ConfirmationLevel.TYPED_NAME, dropping, expected, consequences);
        }
        return switch (action) {
            case FORCE_CUTOVER -> new RiskAssessment(action, ConfirmationLevel.TYPED_NAME, List.of(), database,
                    List.of("PlanetScale finishes the stuck cutover now and may kill queries holding locks on the"
                            + " tables: applications can see errors.",
                            "The change goes live in " + into + " and its revert window starts."));
            case REVERT -> new RiskAssessment(action, ConfirmationLevel.CONSEQUENCE, List.of(), "",
                    revertPreview(operations, into));
            case SKIP_REVERT -> new RiskAssessment(action, ConfirmationLevel.CONSEQUENCE, List.of(), "",
                    List.of("The change becomes permanent: it can no longer be reverted from PlanetScale.",
                            "The deploy queue of " + into + " unblocks, so deploy requests waiting behind it can"
                                    + " start."));
            case DEPLOY_INSTANT -> new RiskAssessment(action, ConfirmationLevel.CONSEQUENCE, List.of(), "",
                    consequences);
            case APPROVE, COMMENT, DEPLOY, APPLY, CANCEL, CLOSE, UNBLOCK, MAKE_GATED ->
                    new RiskAssessment(action, ConfirmationLevel.DIALOG, List.of(), "", List.of());
        };
    }

    /**
     * The strongest confirmation, for when the deploy request could not be read in time to judge: the database's
     * name must be typed, and the submission is checked against the fresh state.
     */
    static RiskAssessment unread(DeployAction action, dev.cutover.deploy.DeployRef ref) {
        return new RiskAssessment(action, ConfirmationLevel.TYPED_NAME, List.of(), ref.database(),
                List.of("Cutover could not read " + ref + " from PlanetScale in time to say what this changes."
                        + " Look at it in PlanetScale first if unsure."));
    }

    /**
     * Whether what a person confirmed still holds for {@code now}: same level, same state and the same operations
     * that drop data. A modal is checked again on submit against a fresh read.
     */
    public static String fingerprint(DeployAction action, DeployRequest request) {
        RiskAssessment risk = of(action, request);
        StringBuilder print = new StringBuilder(request.state().name()).append(':')
                .append(request.deploymentState().wire()).append('|').append(risk.level());
        risk.dropping().forEach(operation -> print.append('|').append(operation.table()).append(':')
                .append(Integer.toHexString(operation.ddlStatement().hashCode())));
        return print.toString();
    }

    /** What a revert will cost, read from the DDL it undoes (planetscale-api.md §5.5, "Revert keeps writes…"). */
    static List<String> revertPreview(List<DeployOperation> operations, String into) {
        List<String> lines = new ArrayList<>();
        lines.add("Restores the schema " + into + " had before. Writes since cutover are kept, except in what the"
                + " revert removes:");
        for (DeployOperation operation : operations) {
            String ddl = operation.ddlStatement();
            Matcher created = CREATE_TABLE.matcher(ddl);
            if (created.find()) {
                lines.add("• table `" + created.group(1) + "` is removed, with every row written to it since cutover.");
                continue;
            }
            Matcher altered = ALTER_TABLE.matcher(ddl);
            String table = altered.find() ? altered.group(1) : operation.table();
            Matcher added = ADD_COLUMN.matcher(ddl);
            while (added.find()) {
                lines.add("• column `" + table + "." + added.group(1) + "` is removed: data written to it is lost.");
            }
            Matcher changed = CHANGE_COLUMN.matcher(ddl);
            while (changed.find()) {
                lines.add("• column `" + table + "." + changed.group(1) + "` goes back to its old type: if it was"
                        + " widened, the revert may refuse values that no longer fit.");
            }
            Matcher droppedIndex = DROP_INDEX.matcher(ddl);
            while (droppedIndex.find()) {
                lines.add("• index `" + droppedIndex.group(1) + "` on `" + table + "` is added back: a unique key may"
                        + " fail to come back if duplicates were written since.");
            }
            if (ddl.toUpperCase(Locale.ROOT).contains("DROP COLUMN")) {
                lines.add("• columns dropped from `" + table + "` come back empty for rows written since cutover.");
            }
        }
        if (lines.size() == 1) {
            lines.set(0, "Restores the schema " + into + " had before. Writes since cutover are kept.");
        }
        return lines;
    }
}
