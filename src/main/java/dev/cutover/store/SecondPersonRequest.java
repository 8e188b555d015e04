package dev.cutover.store;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import java.time.Instant;
import java.util.Objects;

/**
 * One request for a second person to confirm an action, and both names once confirmed (for the card's history and
 * the audit record).
 *
 * @param confirmedBy the second person's Slack id; null until {@link Status#CONFIRMED}
 * @param decidedAt when it was confirmed or found expired; null while pending
 */
public record SecondPersonRequest(String id, DeployRef ref, DeployAction action, String requestedBy,
        Instant requestedAt, Instant expiresAt, Status status, String confirmedBy, Instant decidedAt) {
    public enum Status { PENDING, CONFIRMED, EXPIRED }

    public SecondPersonRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
    }

    public boolean isExpiredAt(Instant now) {
        return status == Status.EXPIRED || status == Status.PENDING && !now.isBefore(expiresAt);
    }
}
