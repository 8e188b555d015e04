package dev.cutover.store;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import java.time.Instant;
import java.util.Objects;

/** One action a Slack user took through Cutover on a deploy request. */
public record ActionEntry(long id, DeployRef ref, DeployAction action, String slackUserId, Instant at) {
    public ActionEntry {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(slackUserId, "slackUserId");
        Objects.requireNonNull(at, "at");
    }
}
