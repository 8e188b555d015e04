package dev.cutover.deploy;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every write a person can make to a deploy request through Cutover. Each action knows its button
 * {@code actionId}, its label and the policy name that governs it, so none of those are loose strings elsewhere.
 */
public enum DeployAction {
    APPROVE("approve", "Approve", "approve"),
    COMMENT("comment", "Comment", "comment"),
    DEPLOY("deploy", "Deploy", "deploy"),
    DEPLOY_INSTANT("deploy_instant", "Deploy instantly", "deploy"),
    APPLY("apply", "Apply changes", "apply"),
    CANCEL("cancel", "Cancel deploy", "cancel"),
    CLOSE("close", "Close", "close"),
    REVERT("revert", "Revert", "revert"),
    SKIP_REVERT("skip_revert", "Skip revert", "skip_revert"),
    /** {@code complete-deploy}: marks a failed deploy or revert done so the queue moves ("Unblock deploy queue"). */
    UNBLOCK("unblock", "Unblock queue", "deploy"),
    /** {@code force-cutover}: finishes a cutover stuck in {@code in_progress_cutover}; may kill blocking queries. */
    FORCE_CUTOVER("force_cutover", "Force cutover", "force_cutover"),
    /** {@code auto-apply} off: the deploy stops in {@code pending_cutover} until someone applies it. */
    MAKE_GATED("make_gated", "Make gated", "deploy");

    /** Every button's action_id starts with this, so one listener pattern catches old cards too. */
    public static final String ACTION_ID_PREFIX = "cutover:";

    private final String name;
    private final String label;
    private final String policyName;

    DeployAction(String name, String label, String policyName) {
        this.name = name;
        this.label = label;
        this.policyName = policyName;
    }

    /** The Block Kit {@code action_id} of this action's button. */
    public String actionId() {
        return ACTION_ID_PREFIX + name;
    }

    /** Button text (well under Block Kit's 75 characters). */
    public String label() {
        return label;
    }

    /** The action name used in the policy file ({@code deploy}, {@code skip_revert}, …). */
    public String policyName() {
        return policyName;
    }

    /** Whether this action is irreversible or changes production, so its button is styled as danger. */
    public boolean isDangerous() {
        return switch (this) {
            case REVERT, SKIP_REVERT, CANCEL, CLOSE, DEPLOY_INSTANT, FORCE_CUTOVER -> true;
            case APPROVE, COMMENT, DEPLOY, APPLY, UNBLOCK, MAKE_GATED -> false;
        };
    }

    /**
     * Whether the card's own row of buttons offers it. Force cutover and Make gated are offered only by the thread
     * reply that says why they are needed now (a stuck cutover, an ungated production deploy): the state table
     * allows them, the moment decides to show them.
     */
    public boolean onCard() {
        return switch (this) {
            case COMMENT, FORCE_CUTOVER, MAKE_GATED -> false;
            case APPROVE, DEPLOY, DEPLOY_INSTANT, APPLY, CANCEL, CLOSE, REVERT, SKIP_REVERT, UNBLOCK -> true;
        };
    }

    public static Optional<DeployAction> fromActionId(String actionId) {
        return Arrays.stream(values()).filter(a -> a.actionId().equals(actionId)).findFirst();
    }
}
