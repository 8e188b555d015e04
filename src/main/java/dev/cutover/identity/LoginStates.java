package dev.cutover.identity;

import dev.cutover.store.LinkedAccounts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The OAuth {@code state} of a login link: signed (HMAC-SHA256 with a key derived from {@code
 * CUTOVER_ENCRYPTION_KEY}), bound to the Slack team and user who asked, expiring after {@link #LIFETIME} and
 * accepted once (its nonce is remembered in the store until used). The browser that opened the link carries a cookie
 * derived from the nonce, so a state cannot be completed in someone else's browser.
 */
final class LoginStates {
    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A state that checked out (signature and expiry; the store decides "once"). */
    record State(String teamId, String slackUserId, String nonce, Instant expiresAt) {
        /** The cookie value the browser that opened this state's link carries. */
        String browserBinding() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest(("cutover-login-browser|" + nonce).getBytes(StandardCharsets.UTF_8));
                return B64.encodeToString(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Why a state was refused; each has its own page. */
    enum Refusal { FORGED, EXPIRED, OTHER_BROWSER, USED }

    static final class RefusedException extends Exception {
        final Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.name());
            this.refusal = refusal;
        }
    }

    private final byte[] key;
    private final LinkedAccounts store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    LoginStates(TokenCipher cipher, LinkedAccounts store, Clock clock) {
        this.key = cipher.derive("cutover oauth state v1");
        this.store = store;
        this.clock = clock;
    }

    /** A new state for this user, remembered until it expires. */
    String mint(String teamId, String slackUserId) {
        byte[] nonceBytes = new byte[18];
        random.nextBytes(nonceBytes);
        String nonce = B64.encodeToString(nonceBytes);
        Instant expiresAt = clock.instant().plus(LIFETIME);
        String payload = teamId + "|" + slackUserId + "|" + nonce + "|" + expiresAt.getEpochSecond();
        store.rememberLoginState(nonce, teamId, slackUserId, expiresAt);
        byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(payloadBytes) + "." + B64.encodeToString(TokenCipher.hmac(key, payloadBytes));
    }

    /** Checks signature and expiry without using the state up (the login redirect). */
    State read(String state) throws RefusedException {
        if (state == null || state.length() > 512) {
            throw new RefusedException(Refusal.FORGED);
        }
        int dot = state.indexOf('.');
        if (dot <= 0) {
            throw new RefusedException(Refusal.FORGED);
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = Base64.getUrlDecoder().decode(state.substring(0, dot));
            signature = Base64.getUrlDecoder().decode(state.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new RefusedException(Refusal.FORGED);
        }
        if (!MessageDigest.isEqual(signature, TokenCipher.hmac(key, payload))) {
            throw new RefusedException(Refusal.FORGED);
        }
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|");
        if (parts.length != 4) {
            throw new RefusedException(Refusal.FORGED);
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[3]));
        } catch (NumberFormatException e) {
            throw new RefusedException(Refusal.FORGED);
        }
        if (!clock.instant().isBefore(expiresAt)) {
            throw new RefusedException(Refusal.EXPIRED);
        }
        return new State(parts[0], parts[1], parts[2], expiresAt);
    }

    /**
     * Uses the state up: it must check out, come from the browser that opened its link ({@code browserBinding} is
     * that browser's cookie) and not have been used before.
     */
    State take(String state, String browserBinding) throws RefusedException {
        State read = read(state);
        if (browserBinding == null || !MessageDigest.isEqual(browserBinding.getBytes(StandardCharsets.UTF_8),
                read.browserBinding().getBytes(StandardCharsets.UTF_8))) {
            throw new RefusedException(Refusal.OTHER_BROWSER);
        }
        if (!store.takeLoginState(read.nonce(), read.teamId(), read.slackUserId(), clock.instant())) {
            throw new RefusedException(Refusal.USED);
        }
        return read;
    }
}
