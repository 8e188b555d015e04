package dev.cutover.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.Actor;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's OAuth application (planetscale-api.md §10): one application ({@link #APPLICATION_ID}, {@link
 * #CLIENT_ID}, {@link #CLIENT_SECRET}), single-use codes from the authorize page, per-user tokens that expire (31 days
 * at speed 1, like PlanetScale's example) and refresh tokens that rotate on use. Thread-safe (synchronized).
 */
final class SimulatedOAuth {
    static final String APPLICATION_ID = "sandbox-app";
    static final String CLIENT_ID = "sandbox-client";
    static final String CLIENT_SECRET = "sandbox-client-secret";
    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

    private record Code(Actor actor, String redirectUri, Instant expiresAt) {}

    private static final class Token {
        final String id;
        final String secret;
        String refreshToken;
        final Actor actor;
        final Instant createdAt;
        Instant expiresAt;
        boolean revoked;

        Token(String id, String secret, String refreshToken, Actor actor, Instant createdAt, Instant expiresAt) {
            this.id = id;
            this.secret = secret;
            this.refreshToken = refreshToken;
            this.actor = actor;
            this.createdAt = createdAt;
            this.expiresAt = expiresAt;
        }
    }

    private final Clock clock;
    private final PublicIds ids = new PublicIds();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Code> codes = new HashMap<>();
    private final Map<String, Token> tokens = new HashMap<>();
    private Duration tokenLifetime;
    private boolean refusingRefresh;

    SimulatedOAuth(Clock clock, Duration tokenLifetime) {
        this.clock = clock;
        this.tokenLifetime = tokenLifetime;
    }

    /** The people one can link as: the demo data's authors. */
    static List<Actor> demoUsers() {
        return List.of(DemoData.ALICE, DemoData.BRUNO, DemoData.CHEN, DemoData.DANA);
    }

    synchronized String issueCode(Actor actor, String redirectUri) {
        String code = secret("code");
        codes.put(code, new Code(actor, redirectUri, clock.instant().plus(CODE_LIFETIME)));
        return code;
    }

    /** {@code grant_type=authorization_code}. */
    synchronized ObjectNode exchange(String clientId, String clientSecret, String code, String redirectUri) {
        checkClient(clientId, clientSecret);
        Code issued = code == null ? null : codes.remove(code); // single-use
        if (issued == null || !clock.instant().isBefore(issued.expiresAt())) {
            throw ApiError.unprocessable("The authorization code is invalid or has expired");
        }
        if (!issued.redirectUri().equals(redirectUri)) {
            throw ApiError.unprocessable("The redirect_uri does not match the one the code was issued for");
        }
        Instant now = clock.instant();
        Token token = new Token(ids.next(), secret("pscale_oauth"), secret("pscale_oauth_refresh"), issued.actor(), now,
                now.plus(tokenLifetime));
        tokens.put(token.id, token);
        return render(token);
    }

    /** {@code grant_type=refresh_token}: a new token and refresh token; the old ones stop working. */
    synchronized ObjectNode refresh(String clientId, String clientSecret, String refreshToken) {
        checkClient(clientId, clientSecret);
        Token old = tokens.values().stream().filter(t -> !t.revoked && t.refreshToken.equals(refreshToken))
                .findFirst().orElseThrow(() -> ApiError.unprocessable("The refresh token is invalid"));
        if (refusingRefresh) {
            throw ApiError.unprocessable("The refresh token is invalid");
        }
        old.revoked = true;
        Instant now = clock.instant();
        Token token = new Token(ids.next(), secret("pscale_oauth"), secret("pscale_oauth_refresh"), old.actor, now,
                now.plus(tokenLifetime));
        tokens.put(token.id, token);
        return render(token);
    }

    /** {@code DELETE …/tokens/{id}}. */
    synchronized void revoke(String tokenId) {
        Token token = tokens.get(tokenId);
        if (token == null) {
            throw ApiError.notFound();
        }
        token.revoked = true;
    }

    /**
     * The person behind {@code <id>:<token>}, empty when the id is not an OAuth token (then it is a service token).
     *
     * @throws ApiError 401 {@code invalid_token} for a known id with a wrong, expired or revoked token
     */
    synchronized Optional<Actor> actorOf(String tokenId, String secret) {
        Token token = tokens.get(tokenId);
        if (token == null) {
            return Optional.empty();
        }
        if (token.revoked || !token.secret.equals(secret) || !clock.instant().isBefore(token.expiresAt)) {
            throw ApiError.invalidToken("The access token is invalid");
        }
        return Optional.of(token.actor);
    }

    /** Revokes every token of this person, as when they remove the application in PlanetScale's settings. */
    synchronized void revokeAllOf(String actorId) {
        tokens.values().stream().filter(t -> t.actor.id().equals(actorId)).forEach(t -> t.revoked = true);
    }

    synchronized void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** From now on every refresh is refused, as when a person revoked the application in PlanetScale. */
    synchronized void refuseRefresh(boolean refuse) {
        this.refusingRefresh = refuse;
    }

    /** Tokens issued and not revoked (expired ones included). */
    synchronized long liveTokens() {
        return tokens.values().stream().filter(t -> !t.revoked).count();
    }

    private static void checkClient(String clientId, String clientSecret) {
        if (!CLIENT_ID.equals(clientId) || !CLIENT_SECRET.equals(clientSecret)) {
            throw ApiError.unprocessable("Client authentication failed");
        }
    }

    private String secret(String prefix) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The documented {@code ServiceToken} shape. */
    private ObjectNode render(Token token) {
        ObjectNode node = WireJson.MAPPER.createObjectNode();
        node.put("id", token.id);
        node.put("type", "ServiceToken");
        node.put("name", "Cutover");
        node.put("display_name", token.actor.name());
        node.put("token", token.secret);
        node.put("plain_text_refresh_token", token.refreshToken);
        node.put("avatar_url", "https://www.gravatar.com/avatar/" + token.actor.id() + "?d=identicon");
        node.put("created_at", token.createdAt.toString());
        node.put("updated_at", token.createdAt.toString());
        node.putNull("last_used_at");
        node.put("expires_at", token.expiresAt.toString());
        node.put("actor_id", token.actor.id());
        node.put("actor_display_name", token.actor.name());
        node.put("actor_type", "User");
        node.putArray("service_token_accesses");
        return node;
    }
}
