package dev.cutover.cards;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.EventType;
import dev.cutover.store.ActionEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which Slack person an event of PlanetScale's is owed to. PlanetScale sees only the service token, so a thread
 * reply would say "queued by cutover-token"; the action log knows who pressed Deploy through Cutover.
 */
final class Credits {
    /** An action older than this caused nothing PlanetScale reports now (a deploy takes minutes, not hours). */
    static final Duration REMEMBERED_FOR = Duration.ofHours(6);

    private Credits() {}

    /** The Slack user whose action through Cutover caused {@code type}, if any did recently. */
    static Optional<String> slackActorBehind(EventType type, List<ActionEntry> recent, Instant now) {
        return newest(causes(type), recent, now);
    }

    /** Whoever deployed or applied through Cutover: the person to remind about the revert window. */
    static Optional<String> deployer(List<ActionEntry> recent, Instant now) {
        return newest(Set.of(DeployAction.APPLY, DeployAction.DEPLOY, DeployAction.DEPLOY_INSTANT), recent, now);
    }

    /** The actions through Cutover that make PlanetScale send {@code type}. No default: decide for each event. */
    static Set<DeployAction> causes(EventType type) {
        return switch (type) {
            case DEPLOY_REQUEST_QUEUED -> Set.of(DeployAction.DEPLOY, DeployAction.DEPLOY_INSTANT);
            case DEPLOY_REQUEST_SCHEMA_APPLIED -> Set.of(DeployAction.APPLY, DeployAction.DEPLOY,
                    DeployAction.DEPLOY_INSTANT, DeployAction.FORCE_CUTOVER);
            case DEPLOY_REQUEST_REVERTED -> Set.of(DeployAction.REVERT);
            case DEPLOY_REQUEST_CLOSED -> Set.of(DeployAction.CLOSE, DeployAction.SKIP_REVERT, DeployAction.REVERT,
                    DeployAction.DEPLOY_INSTANT);
            // PlanetScale's own doing (checks, the migration running, errors), or the author's in PlanetScale.
            case DEPLOY_REQUEST_OPENED, DEPLOY_REQUEST_IN_PROGRESS, DEPLOY_REQUEST_PENDING_CUTOVER,
                    DEPLOY_REQUEST_ERRORED -> Set.of();
            case BRANCH_READY, BRANCH_SLEEPING, BRANCH_ANOMALY, BRANCH_PRIMARY_PROMOTED, BRANCH_START_MAINTENANCE,
                    BRANCH_OUT_OF_MEMORY, BRANCH_SCHEMA_RECOMMENDATION, KEYSPACE_STORAGE, CLUSTER_STORAGE,
                    DATABASE_ACCESS_REQUEST, WEBHOOK_TEST, UNKNOWN -> Set.of();
            // Seen only in PlanetScale's view: done in the dashboard or the CLI, never through Cutover (an action
            // through Cutover re-renders the card at once, so reconciliation finds nothing new to tell).
            case RECONCILED_APPROVED, RECONCILED_CHANGED -> Set.of();
        };
    }

    /** Whether PlanetScale sends an event for {@code action} (its thread reply then credits the person). */
    static boolean raisesEvent(DeployAction action) {
        for (EventType type : EventType.values()) {
            if (causes(type).contains(action)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> newest(Set<DeployAction> actions, List<ActionEntry> recent, Instant now) {
        Instant since = now.minus(REMEMBERED_FOR);
        for (int i = recent.size() - 1; i >= 0; i--) {
            ActionEntry entry = recent.get(i);
            if (actions.contains(entry.action()) && entry.at().isAfter(since)) {
                return Optional.of(entry.slackUserId());
            }
        }
        return Optional.empty();
    }
}
