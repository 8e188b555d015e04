package dev.cutover.store;

import java.time.Instant;
import java.util.Optional;

/** Linked PlanetScale accounts and the login states that lead to them (plain, portable SQL behind it). */
public interface LinkedAccounts {
    /** Stores or replaces the user's link. */
    void save(LinkedAccountRow row);

    Optional<LinkedAccountRow> find(String teamId, String slackUserId);

    /** Removes the link; true when there was one. */
    boolean delete(String teamId, String slackUserId);

    /** Remembers a login state handed out, until {@code expiresAt}. */
    void rememberLoginState(String nonce, String teamId, String slackUserId, Instant expiresAt);

    /**
     * Takes a login state: true exactly once per remembered state and only for the same user and team; the row is
     * gone afterwards whatever the answer, so a state can never be replayed.
     */
    boolean takeLoginState(String nonce, String teamId, String slackUserId, Instant now);
}
