package dev.cutover.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A Slack user's link to their PlanetScale account as stored: the token fields are sealed (encrypted) text the
 * store cannot read, opened only by {@code identity.TokenCipher}.
 *
 * @param expiresAt when the access token expires (null when PlanetScale did not say)
 * @param refreshFailedAt set when a refresh failed: the link must be made again before it acts
 */
public record LinkedAccountRow(String teamId, String slackUserId, String actorId, String actorDisplayName,
        String tokenIdSealed, String tokenSealed, String refreshTokenSealed, Instant expiresAt, Instant linkedAt,
        Instant refreshFailedAt) {
    public LinkedAccountRow {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(slackUserId, "slackUserId");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(actorDisplayName, "actorDisplayName");
        Objects.requireNonNull(tokenIdSealed, "tokenIdSealed");
        Objects.requireNonNull(tokenSealed, "tokenSealed");
        Objects.requireNonNull(refreshTokenSealed, "refreshTokenSealed");
        Objects.requireNonNull(linkedAt, "linkedAt");
    }
}
