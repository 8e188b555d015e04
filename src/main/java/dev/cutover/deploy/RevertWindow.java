package dev.cutover.deploy;

import java.time.Instant;

/**
 * PlanetScale's {@code deployment_revert_request}: who reverted or skipped, and when the 30-minute revert
 * window closes. The object exists before cutover with a null end, so "revertable" is read from the
 * deployment state, never from the presence of this record.
 */
public record RevertWindow(Actor actor, Instant closesAt, Instant finishedAt, Instant cancelledAt) {}
