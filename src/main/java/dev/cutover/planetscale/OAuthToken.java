package dev.cutover.planetscale;

import java.time.Instant;
import java.util.Objects;

/**
 * What PlanetScale's OAuth token endpoint answers (a {@code ServiceToken}, planetscale-api.md §10): the token's id and
 * secret (sent as {@code <id>:<token>}), the refresh token, its expiry and who it acts as.
 *
 * @param refreshToken empty when PlanetScale sent none (the link then has to be made again when it expires)
 * @param expiresAt null when PlanetScale did not say
 */
public record OAuthToken(String id, String token, String refreshToken, Instant expiresAt, String actorId,
        String actorDisplayName) {
    public OAuthToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(token, "token");
        refreshToken = refreshToken == null ? "" : refreshToken;
        Objects.requireNonNull(actorId, "actorId");
        actorDisplayName = actorDisplayName == null || actorDisplayName.isBlank() ? actorId : actorDisplayName;
    }

    @Override
    public String toString() {
        return "OAuthToken[id=<redacted>, actor=" + actorId + " (" + actorDisplayName + "), expiresAt=" + expiresAt + "]";
    }
}
