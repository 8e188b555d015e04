package dev.cutover.deploy;

import java.time.Instant;

/** An approval or comment recorded on a deploy request. */
public record Review(String id, Kind kind, String body, Actor actor, Instant createdAt) {
    public enum Kind { APPROVED, COMMENTED }

    public Review {
        body = body == null ? "" : body;
    }
}
