package dev.cutover.actions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cutover.deploy.DeployRef;
import java.time.Duration;
import java.util.Optional;

/**
 * Remembers which Slack user deployed or applied a deploy request through Cutover, so the revert-window
 * reminder can mention them. PlanetScale only knows the service token; this is best effort and in memory
 * (lost on restart, then the reminder mentions nobody).
 */
public final class DeployerDirectory {
    private final Cache<DeployRef, String> deployers =
            Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(6)).maximumSize(10_000).build();

    public void record(DeployRef ref, String slackUserId) {
        deployers.put(ref, slackUserId);
    }

    public Optional<String> deployer(DeployRef ref) {
        return Optional.ofNullable(deployers.getIfPresent(ref));
    }
}
