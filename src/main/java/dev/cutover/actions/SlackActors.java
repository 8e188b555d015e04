package dev.cutover.actions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who did what through Cutover, recently. PlanetScale sees only the service token, so without this a thread
 * would say "queued by <token>"; with it, "queued by @alice via Cutover", and the revert-window reminder can
 * mention whoever deployed. Best effort and in memory: after a restart, PlanetScale's own actor is shown.
 */
public final class SlackActors {
    static final Duration REMEMBERED_FOR = Duration.ofHours(6);

    private final Cache<DeployRef, Map<DeployAction, String>> actors =
            Caffeine.newBuilder().expireAfterWrite(REMEMBERED_FOR).maximumSize(10_000).build();

    /** {@code slackUserId} just did {@code action} on {@code ref} successfully. */
    public void record(DeployRef ref, DeployAction action, String slackUserId) {
        actors.asMap().compute(ref, (key, byAction) -> {
            Map<DeployAction, String> updated = byAction == null ? new EnumMap<>(DeployAction.class)
                    : new EnumMap<>(byAction);
            updated.put(action, slackUserId);
            return updated;
        });
    }

    /** Takes back {@link #record} when PlanetScale refused the action (only if nobody acted since). */
    public void forget(DeployRef ref, DeployAction action, String slackUserId) {
        actors.asMap().computeIfPresent(ref, (key, byAction) -> {
            if (!slackUserId.equals(byAction.get(action))) {
                return byAction;
            }
            Map<DeployAction, String> updated = new EnumMap<>(byAction);
            updated.remove(action);
            return updated.isEmpty() ? null : updated;
        });
    }

    /** Whoever deployed or applied {@code ref} through Cutover (the person to remind about the revert window). */
    public Optional<String> deployer(DeployRef ref) {
        return latestOf(ref, List.of(DeployAction.APPLY, DeployAction.DEPLOY, DeployAction.DEPLOY_INSTANT));
    }

    /** The Slack user whose action through Cutover caused this webhook event, when there was one. */
    public Optional<String> causeOf(DeployRef ref, String webhookEvent) {
        return switch (webhookEvent) {
            case "deploy_request.queued" -> latestOf(ref, List.of(DeployAction.DEPLOY, DeployAction.DEPLOY_INSTANT));
            case "deploy_request.schema_applied" -> deployer(ref);
            case "deploy_request.reverted" -> latestOf(ref, List.of(DeployAction.REVERT));
            case "deploy_request.closed" -> latestOf(ref, List.of(DeployAction.CLOSE, DeployAction.SKIP_REVERT,
                    DeployAction.REVERT, DeployAction.DEPLOY_INSTANT));
            default -> Optional.empty();
        };
    }

    private Optional<String> latestOf(DeployRef ref, List<DeployAction> candidates) {
        Map<DeployAction, String> byAction = actors.getIfPresent(ref);
        if (byAction == null) {
            return Optional.empty();
        }
        return candidates.stream().map(byAction::get).filter(java.util.Objects::nonNull).findFirst();
    }
}
