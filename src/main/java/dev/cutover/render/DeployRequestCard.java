package dev.cutover.render;

import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import dev.cutover.confirm.ConfirmationLevel;
import dev.cutover.confirm.RiskAssessment;
import dev.cutover.deploy.AvailableActions;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.LintError;
import dev.cutover.slack.SandboxMarker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one rendering of a deploy request as a Slack message, used by {@code show}, button results, webhook
 * notifications and lists, so a person sees the same card wherever it appears. Pure: it only builds Block Kit
 * objects, always within Slack's limits (slack.md §4.2), with every PlanetScale string escaped (§4.3).
 */
public final class DeployRequestCard {
    /** The Refresh button: re-fetches the deploy request and updates the card in place. */
    public static final String REFRESH_ACTION_ID = DeployAction.ACTION_ID_PREFIX + "refresh";
    /** The "Open in PlanetScale" link button; Slack still sends an interaction for it, which only needs an ack. */
    public static final String OPEN_ACTION_ID = DeployAction.ACTION_ID_PREFIX + "open";
    /** The "Show" button of a list row; its value is the row's {@code DeployRef} button value. */
    public static final String SHOW_ACTION_ID = DeployAction.ACTION_ID_PREFIX + "show";

    /** Slack's limit is 50; one is kept for the sandbox marker, added where messages leave ({@code SandboxMarker}). */
    static final int MAX_BLOCKS = 49;
    static final int MAX_TEXT = 3000;
    static final int MAX_HEADER = 150;
    static final int MAX_CONTEXT_ELEMENTS = 10;
    static final int MAX_BUTTON_TEXT = 75;
    static final int MAX_ACTIONS = 25;
    static final int MAX_CARD_FALLBACK = 300;
    static final int MAX_CONFIRM_TITLE = 100;
    static final int MAX_CONFIRM_TEXT = 300;
    static final int MAX_CONFIRM_BUTTON = 30;
    static final int MAX_URL = 3000;

    static final int OPERATIONS_SHOWN = 5;
    static final int LINT_ERRORS_SHOWN = 8;
    static final int LIST_ROWS_SHOWN = 40;
    private static final int DDL_SHOWN = 900;
    private static final int NOTES_SHOWN = 1500;
    private static final int NAME_SHOWN = 100;

    /** What Slack accepts as a button URL without rejecting the whole message: http(s), no spaces or brackets. */
    private static final Pattern SAFE_URL = Pattern.compile("https?://[^\\s<>|\"'`\\\\]+");

    /**
     * A rendered message: {@code text} is the notification and screen-reader fallback, {@code blocks} go to
     * {@code chat.postMessage}, {@code chat.update} or {@code respond} unchanged.
     */
    public record Card(String text, List<LayoutBlock> blocks) {
        public Card {
            text = text == null ? "" : text;
            blocks = blocks == null ? List.of() : List.copyOf(blocks);
        }
    }

    /** Marks the who-did-what block. */
    static final String HISTORY_BLOCK_PREFIX = "history-";

    private DeployRequestCard() {}

    /** The full card of one deploy request, with buttons from {@link AvailableActions} when {@code ctx} asks for them. */
    public static Card render(DeployRequest deployRequest, CardContext ctx) {
        Objects.requireNonNull(deployRequest, "deployRequest");
        Objects.requireNonNull(ctx, "ctx");
        BlockIds ids = new BlockIds("dr" + deployRequest.ref().number(), Objects.hash(deployRequest, ctx));
        String url = safeUrl(deployRequest);
        List<LayoutBlock> blocks = new ArrayList<>();

        blocks.add(header(ids, deployRequest.ref().database() + " #" + deployRequest.ref().number() + ": "
                + orUnknown(deployRequest.branch()) + " → " + orUnknown(deployRequest.intoBranch())));
        blocks.add(summary(ids, deployRequest, ctx, url));
        addIfPresent(blocks, section(ids, status(deployRequest)));
        deployRequest.deploymentIfPresent().ifPresent(deployment -> addChecks(blocks, ids, deployment));
        deployRequest.deploymentIfPresent().ifPresent(deployment -> addOperations(blocks, ids, deployRequest, deployment, url));
        if (!deployRequest.notes().isBlank()) {
            blocks.add(section(ids, "*Notes:*\n" + Mrkdwn.escape(deployRequest.notes(), NOTES_SHOWN)));
        }
        blocks.add(context(ids, List.of(footer(deployRequest))));
        if (!ctx.recentHistory().isEmpty()) {
            blocks.add(ContextBlock.builder().blockId(HISTORY_BLOCK_PREFIX + ids.next())
                    .elements(context(ids, ctx.recentHistory()).getElements()).build());
        }
        if (ctx.withButtons()) {
            blocks.add(actions(ids, buttons(deployRequest, ctx)));
        }
        return new Card(fallbackText(deployRequest, url), blocks);
    }

    /**
     * A compact list: one line per deploy request with a Show button, at most {@value #LIST_ROWS_SHOWN} rows, the
     * rest counted. An empty list says so in a friendly way.
     */
    public static Card list(List<DeployRequest> requests, String title, CardContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        List<DeployRequest> rows = requests == null ? List.of() : requests.stream().filter(Objects::nonNull).toList();
        String heading = title == null || title.isBlank() ? "Deploy requests" : title;
        BlockIds ids = new BlockIds("list", Objects.hash(rows, heading, ctx));
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(ids, heading));
        if (rows.isEmpty()) {
            blocks.add(section(ids, "📭 None right now."));
            return new Card(Mrkdwn.escape(heading + ": none right now.", MAX_CARD_FALLBACK), blocks);
        }
        int shown = Math.min(rows.size(), Math.min(LIST_ROWS_SHOWN, MAX_BLOCKS - blocks.size() - 1));
        for (DeployRequest row : rows.subList(0, shown)) {
            blocks.add(listRow(ids, row, ctx));
        }
        if (rows.size() > shown) {
            blocks.add(context(ids, List.of("and " + (rows.size() - shown)
                    + " more — narrow with `/pscale list &lt;database&gt;`")));
        }
        return new Card(Mrkdwn.escape(heading + " (" + rows.size() + ")", MAX_CARD_FALLBACK), blocks);
    }

    /** An emoji for every deployment state, so a state is recognisable at a glance. */
    public static String stateEmoji(DeploymentState state) {
        // No default: a new state will not compile until someone decides how it looks.
        return switch (state) {
            case PENDING -> "⏳";
            case READY -> "🟢";
            case NO_CHANGES -> "⚪";
            case ERROR -> "❌";
            case QUEUED -> "📥";
            case SUBMITTING -> "📤";
            case IN_PROGRESS, IN_PROGRESS_VSCHEMA -> "🔄";
            case PENDING_CUTOVER -> "⏸️";
            case IN_PROGRESS_CUTOVER -> "🔀";
            case IN_PROGRESS_CANCEL -> "🛑";
            case COMPLETE_CANCEL, CANCELLED -> "🚫";
            case COMPLETE_PENDING_REVERT -> "✅";
            case IN_PROGRESS_REVERT, IN_PROGRESS_REVERT_VSCHEMA, COMPLETE_REVERT -> "↩️";
            case COMPLETE -> "✅";
            case COMPLETE_ERROR, COMPLETE_REVERT_ERROR -> "🔥";
            case UNKNOWN -> "❔";
        };
    }

    /** A deployment state in words a person understands ("Ready to deploy", "Deployed — revert window open"). */
    public static String stateWords(DeploymentState state) {
        return switch (state) {
            case PENDING -> "Checking the changes";
            case READY -> "Ready to deploy";
            case NO_CHANGES -> "No schema changes";
            case ERROR -> "Deploy checks failed";
            case QUEUED -> "Queued";
            case SUBMITTING -> "Submitting";
            case IN_PROGRESS -> "Deploying";
            case IN_PROGRESS_VSCHEMA -> "Deploying VSchema changes";
            case PENDING_CUTOVER -> "Ready to apply — waiting for cutover";
            case IN_PROGRESS_CUTOVER -> "Cutting over";
            case IN_PROGRESS_CANCEL -> "Cancelling";
            case COMPLETE_CANCEL, CANCELLED -> "Cancelled";
            case COMPLETE_PENDING_REVERT -> "Deployed — revert window open";
            case IN_PROGRESS_REVERT -> "Reverting";
            case IN_PROGRESS_REVERT_VSCHEMA -> "Reverting VSchema changes";
            case COMPLETE_REVERT -> "Reverted";
            case COMPLETE -> "Deployed";
            case COMPLETE_ERROR -> "Deploy failed — queue blocked";
            case COMPLETE_REVERT_ERROR -> "Revert failed — queue blocked";
            case UNKNOWN -> "Unknown state";
        };
    }

    /** The deploy request's dashboard URL, or PlanetScale's default URL when the one we got is not a usable link. */
    static String safeUrl(DeployRequest deployRequest) {
        String url = deployRequest.htmlUrl();
        if (url.length() <= MAX_URL && SAFE_URL.matcher(url).matches()) {
            return url;
        }
        return DeployRequest.defaultUrl(deployRequest.ref());
    }

    private static SectionBlock summary(BlockIds ids, DeployRequest deployRequest, CardContext ctx, String url) {
        String text = "*" + Mrkdwn.link(url, deployRequest.ref().toString()) + "* · "
                + code(deployRequest.branch()) + " → " + code(deployRequest.intoBranch())
                + "\n*Author:* " + Mrkdwn.escape(orUnknown(deployRequest.author().name()), NAME_SHOWN)
                + "\n*State:* " + stateEmoji(deployRequest.deploymentState()) + " "
                + stateWords(deployRequest.deploymentState()) + " · request " + requestWords(deployRequest)
                + "\n*Approval:* " + approvalWords(deployRequest, ctx.approvalRequired());
        ButtonElement open = ButtonElement.builder()
                .actionId(OPEN_ACTION_ID)
                .text(plainText("Open in PlanetScale"))
                .url(url)
                .build();
        return SectionBlock.builder().blockId(ids.next()).text(markdownText(guard(text))).accessory(open).build();
    }

    private static String requestWords(DeployRequest deployRequest) {
        return switch (deployRequest.state()) {
            case OPEN -> "open";
            case CLOSED -> "closed";
            case UNKNOWN -> "state unknown";
        };
    }

    private static String approvalWords(DeployRequest deployRequest, boolean approvalRequired) {
        if (deployRequest.approved()) {
            return "✅ Approved";
        }
        return approvalRequired ? "⏳ Not approved — approval required before deploying" : "Not approved (not required)";
    }

    /** Deployability, progress and every warning a person must see before pressing a button. */
    private static String status(DeployRequest deployRequest) {
        List<String> lines = new ArrayList<>();
        DeploymentState state = deployRequest.deploymentState();
        Deployment deployment = deployRequest.deployment();
        if (deployRequest.isOpen() && (state == DeploymentState.PENDING || state == DeploymentState.READY)) {
            if (deployRequest.isDeployable()) {
                lines.add("✅ Deployable" + (deployRequest.isInstantEligible() ? " · eligible for instant deploy" : ""));
            } else if (state == DeploymentState.PENDING) {
                lines.add("⏳ PlanetScale is still checking whether this can deploy");
            } else {
                lines.add("❌ Not deployable");
            }
        }
        if (deployment != null) {
            Double progress = deployment.overallProgress();
            if (state.isRunning() && progress != null) {
                lines.add("🔄 Progress: " + percent(progress) + " " + progressBar(progress));
            }
            if (deployment.queuePaused()) {
                lines.add("⏸️ Deploy queue paused" + (deployment.queuePauseReason().isBlank()
                        ? "" : ": " + Mrkdwn.escape(deployment.queuePauseReason(), 300)));
            }
            if (deployment.cutoverExpiring() && deployRequest.isOpen()) {
                lines.add("⚠️ The cutover expires soon — apply the changes or cancel the deploy.");
            }
            List<String> dropping = deployment.operations().stream()
                    .filter(DeployOperation::canDropData)
                    .map(operation -> code(operation.table()))
                    .toList();
            if (!dropping.isEmpty()) {
                lines.add("⚠️ *Can drop data:* " + String.join(", ", dropping.subList(0, Math.min(5, dropping.size())))
                        + (dropping.size() > 5 ? " and " + (dropping.size() - 5) + " more" : ""));
            }
        }
        if (state.blocksQueue() && deployRequest.isOpen()) {
            lines.add("🚧 This blocks the deploy queue of " + code(deployRequest.intoBranch()) + " until someone acts.");
        }
        deployRequest.revertWindowClosesAt().ifPresent(closes ->
                lines.add("↩️ Revert window closes " + Mrkdwn.date(closes) + "; after that the change is permanent."));
        return guard(String.join("\n", lines));
    }

    private static void addChecks(List<LayoutBlock> blocks, BlockIds ids, Deployment deployment) {
        List<LintError> lintErrors = deployment.lintErrors();
        if (!lintErrors.isEmpty()) {
            StringBuilder text = new StringBuilder("*Why it cannot deploy:*");
            for (LintError lintError : lintErrors.subList(0, Math.min(LINT_ERRORS_SHOWN, lintErrors.size()))) {
                text.append("\n• ").append(Mrkdwn.lintError(lintError, 250));
            }
            if (lintErrors.size() > LINT_ERRORS_SHOWN) {
                text.append("\n…and ").append(lintErrors.size() - LINT_ERRORS_SHOWN).append(" more");
            }
            blocks.add(section(ids, text.toString()));
        }
        if (!deployment.deployCheckErrors().isBlank()) {
            blocks.add(section(ids, "*Deploy check errors:*\n" + Mrkdwn.codeBlock(deployment.deployCheckErrors(), 1500)));
        }
    }

    private static void addOperations(
            List<LayoutBlock> blocks, BlockIds ids, DeployRequest deployRequest, Deployment deployment, String url) {
        List<DeployOperation> operations = deployment.operations();
        boolean running = deployRequest.deploymentState().isRunning();
        for (DeployOperation operation : operations.subList(0, Math.min(OPERATIONS_SHOWN, operations.size()))) {
            StringBuilder text = new StringBuilder();
            text.append('*').append(Mrkdwn.escape(orUnknown(operation.operationName()), 40)).append("* ");
            text.append(code((operation.keyspace().isBlank() ? "" : operation.keyspace() + ".") + operation.table()));
            if (operation.canDropData()) {
                text.append(" ⚠️ can drop data");
            }
            if (running && operation.progressPercentage() != null) {
                text.append(" · ").append(percent(operation.progressPercentage()));
            }
            if (!operation.deployErrors().isBlank()) {
                text.append("\n❌ ").append(Mrkdwn.escape(operation.deployErrors(), 300));
            }
            text.append('\n').append(Mrkdwn.codeBlock(operation.ddlStatement(), DDL_SHOWN));
            blocks.add(section(ids, text.toString()));
        }
        if (operations.size() > OPERATIONS_SHOWN) {
            blocks.add(context(ids, List.of("and " + (operations.size() - OPERATIONS_SHOWN) + " more operations — see "
                    + Mrkdwn.link(url, "PlanetScale"))));
        }
    }

    private static String footer(DeployRequest deployRequest) {
        StringBuilder text = new StringBuilder(Mrkdwn.link(safeUrl(deployRequest), "Open in PlanetScale"));
        if (deployRequest.numComments() > 0) {
            text.append(" · 💬 ").append(deployRequest.numComments())
                    .append(deployRequest.numComments() == 1 ? " comment" : " comments");
        }
        if (!deployRequest.isOpen() && deployRequest.closedBy() != null && !deployRequest.closedBy().name().isBlank()) {
            text.append(" · closed by ").append(Mrkdwn.escape(deployRequest.closedBy().name(), NAME_SHOWN));
        }
        if (deployRequest.updatedAt() != null) {
            text.append(" · updated ").append(Mrkdwn.date(deployRequest.updatedAt()));
        }
        return text.toString();
    }

    private static List<BlockElement> buttons(DeployRequest deployRequest, CardContext ctx) {
        Set<DeployAction> available = AvailableActions.of(deployRequest, ctx.approvalRequired());
        DeployAction main = mainAction(available);
        List<BlockElement> buttons = new ArrayList<>();
        for (DeployAction action : available) {
            if (!action.onCard()) {
                continue; // A comment needs text (/pscale comment); the rest are offered by the moment that needs them.
            }
            buttons.add(actionButton(action, deployRequest, action == main));
        }
        buttons.add(ButtonElement.builder()
                .actionId(REFRESH_ACTION_ID)
                .text(plainText("Refresh"))
                .value(deployRequest.ref().toButtonValue())
                .build());
        return buttons.subList(0, Math.min(buttons.size(), MAX_ACTIONS));
    }

    /**
     * One action's button. Its confirmation follows {@link RiskAssessment}: a dialog for the plain ones; none for
     * those confirmed in a modal (the click opens it), so nobody confirms twice.
     */
    public static ButtonElement actionButton(DeployAction action, DeployRequest deployRequest, boolean primary) {
        RiskAssessment risk = RiskAssessment.of(action, deployRequest);
        return ButtonElement.builder()
                .actionId(action.actionId())
                .text(plainText(Mrkdwn.truncate(action.label(), MAX_BUTTON_TEXT)))
                .value(deployRequest.ref().toButtonValue())
                .style(action.isDangerous() ? "danger" : primary ? "primary" : null)
                .confirm(risk.level() == ConfirmationLevel.DIALOG ? confirm(action, deployRequest) : null)
                .build();
    }

    /** The one button styled primary: what the request is waiting for. */
    private static DeployAction mainAction(Set<DeployAction> available) {
        for (DeployAction candidate : List.of(DeployAction.APPLY, DeployAction.DEPLOY, DeployAction.UNBLOCK, DeployAction.APPROVE)) {
            if (available.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Says plainly what pressing the button will do; every write button gets one. */
    static ConfirmationDialogObject confirm(DeployAction action, DeployRequest deployRequest) {
        String ref = deployRequest.ref().toString();
        String into = quote(deployRequest.intoBranch());
        String dropsData = dropsDataWarning(deployRequest);
        // No default: a new action will not compile until someone writes what its dialog says.
        Dialog dialog = switch (action) {
            case APPROVE -> new Dialog("Approve " + ref + "?",
                    "Records an approval of " + ref + " in PlanetScale, in your name. Once approved, it can be deployed.",
                    "Approve", "Go back");
            case COMMENT -> new Dialog("Comment on " + ref + "?", "Adds your comment to " + ref + " in PlanetScale.",
                    "Comment", "Go back");
            case DEPLOY -> new Dialog("Deploy " + ref + "?",
                    "Queues " + ref + " (" + quote(deployRequest.branch()) + ") for deploy into " + into
                            + "; it runs as an online migration" + (autoCutover(deployRequest)
                            ? " and cuts over automatically." : " and waits for someone to apply it.") + dropsData,
                    "Deploy", "Go back");
            case DEPLOY_INSTANT -> new Dialog("Deploy " + ref + " instantly?",
                    "Applies " + ref + " to " + into + " right away. Instant deploys cannot be gated or reverted."
                            + dropsData,
                    "Deploy instantly", "Go back");
            case APPLY -> new Dialog("Apply " + ref + " now?",
                    "Cuts over now: the changes of " + ref + " go live in " + into
                            + " and the 30-minute revert window starts.",
                    "Apply changes", "Go back");
            case CANCEL -> new Dialog("Cancel the deploy of " + ref + "?",
                    "Stops the deploy of " + ref + " before cutover; " + into
                            + " stays unchanged. A cancelled deploy cannot be restarted.",
                    "Cancel deploy", "Keep it");
            case CLOSE -> new Dialog("Close " + ref + "?",
                    "Closes " + ref + " without deploying; it cannot be reopened.", "Close", "Keep it open");
            case REVERT -> new Dialog("Revert " + ref + "?",
                    "Restores the previous schema of " + into + ". Writes since cutover are kept, except in columns"
                            + " or tables the revert removes; it can fail if new data no longer fits.",
                    "Revert", "Keep the change");
            case SKIP_REVERT -> new Dialog("Skip the revert window of " + ref + "?",
                    "This cannot be undone: the change becomes permanent and the deploy queue of " + into
                            + " unblocks.",
                    "Skip revert", "Go back");
            case UNBLOCK -> new Dialog("Unblock the deploy queue?",
                    "Marks the failed deployment of " + ref + " as done so later deploys to " + into
                            + " can run. It does not retry or undo anything.",
                    "Unblock queue", "Go back");
            case FORCE_CUTOVER -> new Dialog("Force the cutover of " + ref + "?",
                    "Finishes the stuck cutover of " + ref + " now; PlanetScale may kill queries that hold locks on"
                            + " the tables.", "Force cutover", "Go back");
            case MAKE_GATED -> new Dialog("Make " + ref + " gated?",
                    "Turns auto-apply off: the deploy of " + ref + " will wait in pending cutover until someone"
                            + " applies it.", "Make gated", "Go back");
        };
        return ConfirmationDialogObject.builder()
                .title(plainText(Mrkdwn.escape(dialog.title(), MAX_CONFIRM_TITLE)))
                .text(plainText(Mrkdwn.escape(dialog.text(), MAX_CONFIRM_TEXT)))
                .confirm(plainText(Mrkdwn.escape(dialog.confirm(), MAX_CONFIRM_BUTTON)))
                .deny(plainText(Mrkdwn.escape(dialog.deny(), MAX_CONFIRM_BUTTON)))
                .style(action.isDangerous() ? "danger" : "primary")
                .build();
    }

    private record Dialog(String title, String text, String confirm, String deny) {}

    private static boolean autoCutover(DeployRequest deployRequest) {
        return deployRequest.deploymentIfPresent().map(Deployment::autoCutover).orElse(true);
    }

    private static String dropsDataWarning(DeployRequest deployRequest) {
        List<String> tables = deployRequest.deploymentIfPresent().map(Deployment::operations).orElse(List.of()).stream()
                .filter(DeployOperation::canDropData)
                .map(DeployOperation::table)
                .toList();
        if (tables.isEmpty()) {
            return "";
        }
        return " ⚠️ can_drop_data: it can drop data in " + Mrkdwn.truncate(String.join(", ", tables), 60) + ".";
    }

    private static SectionBlock listRow(BlockIds ids, DeployRequest row, CardContext ctx) {
        String text = "*" + Mrkdwn.link(safeUrl(row), row.ref().toString()) + "* · " + code(row.branch()) + " → "
                + code(row.intoBranch()) + " · " + stateEmoji(row.deploymentState()) + " "
                + stateWords(row.deploymentState()) + (row.approved() ? " · approved ✓" : "")
                + (row.author().name().isBlank() ? "" : " · " + Mrkdwn.escape(row.author().name(), NAME_SHOWN));
        SectionBlock.SectionBlockBuilder section = SectionBlock.builder().blockId(ids.next()).text(markdownText(guard(text)));
        if (ctx.withButtons()) {
            section.accessory(ButtonElement.builder()
                    .actionId(SHOW_ACTION_ID)
                    .text(plainText("Show"))
                    .value(row.ref().toButtonValue())
                    .build());
        }
        return section.build();
    }

    private static String fallbackText(DeployRequest deployRequest, String url) {
        String summary = deployRequest.ref() + " " + deployRequest.branch() + " → " + deployRequest.intoBranch() + ": "
                + stateWords(deployRequest.deploymentState());
        String link = " · " + url;
        if (link.length() > MAX_CARD_FALLBACK / 2) {
            return Mrkdwn.escape(summary, MAX_CARD_FALLBACK);
        }
        return Mrkdwn.escape(summary, MAX_CARD_FALLBACK - link.length()) + link;
    }

    private static HeaderBlock header(BlockIds ids, String text) {
        return HeaderBlock.builder().blockId(ids.next()).text(plainText(Mrkdwn.escape(text, MAX_HEADER), true)).build();
    }

    private static SectionBlock section(BlockIds ids, String mrkdwn) {
        if (mrkdwn == null || mrkdwn.isBlank()) {
            return null;
        }
        return SectionBlock.builder().blockId(ids.next()).text(markdownText(guard(mrkdwn))).build();
    }

    private static ContextBlock context(BlockIds ids, List<String> mrkdwnLines) {
        List<ContextBlockElement> elements = new ArrayList<>();
        for (String line : mrkdwnLines.subList(0, Math.min(mrkdwnLines.size(), MAX_CONTEXT_ELEMENTS))) {
            elements.add(markdownText(guard(line)));
        }
        return ContextBlock.builder().blockId(ids.next()).elements(elements).build();
    }

    private static ActionsBlock actions(BlockIds ids, List<BlockElement> elements) {
        return ActionsBlock.builder().blockId(ids.next()).elements(elements).build();
    }

    private static void addIfPresent(List<LayoutBlock> blocks, LayoutBlock block) {
        if (block != null) {
            blocks.add(block);
        }
    }

    /** Last line of defence for Slack's 3 000-char text limit; content is sized well below it. */
    private static String guard(String mrkdwn) {
        return Mrkdwn.truncate(mrkdwn, MAX_TEXT);
    }

    private static String code(String name) {
        return Mrkdwn.code(name, NAME_SHOWN);
    }

    private static String quote(String name) {
        return Mrkdwn.truncate(orUnknown(name), 60);
    }

    private static String orUnknown(String text) {
        return text == null || text.isBlank() ? "?" : text;
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.0f%%", Math.max(0, Math.min(100, value)));
    }

    private static String progressBar(double value) {
        int filled = (int) Math.round(Math.max(0, Math.min(100, value)) / 10);
        return "▓".repeat(filled) + "░".repeat(10 - filled);
    }

    /**
     * Block ids unique within a message and different in every version of it, because callers update cards in
     * place with {@code chat.update} and Slack wants fresh ids then (slack.md §4.2).
     */
    private static final class BlockIds {
        private final String prefix;
        private int next;

        BlockIds(String kind, int version) {
            this.prefix = kind + "-" + Integer.toHexString(version) + "-";
        }

        String next() {
            return prefix + next++;
        }
    }
}
