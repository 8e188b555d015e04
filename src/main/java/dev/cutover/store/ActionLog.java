package dev.cutover.store;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import java.time.Instant;
import java.util.List;

/**
 * Who did what through Cutover on each deploy request: the history every card of it shows, and the Slack person
 * a thread reply credits (PlanetScale itself sees only the service token). Kept across restarts. Thread-safe.
 */
public interface ActionLog {
    /** Records that {@code slackUserId} is doing {@code action}; returns the entry, for {@link #forget}. */
    ActionEntry record(DeployRef ref, DeployAction action, String slackUserId, Instant at);

    /** Takes an entry back (PlanetScale refused the action). */
    void forget(ActionEntry entry);

    /** The newest {@code limit} entries of {@code ref}, oldest first. */
    List<ActionEntry> recent(DeployRef ref, int limit);
}
