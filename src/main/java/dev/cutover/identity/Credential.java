package dev.cutover.identity;

import dev.cutover.planetscale.PlanetScaleApi;

/** Whose credentials a person's write goes to PlanetScale with, decided by {@link Identities}. */
public sealed interface Credential {
    /** Cutover's service token (no link, and the policy says {@code identity: shared}). */
    record ServiceToken() implements Credential {}

    /** The person's own linked PlanetScale account; {@code api} sends their token. */
    record Person(String actorId, String actorName, PlanetScaleApi api) implements Credential {
        @Override
        public String toString() {
            return "Person[" + actorId + " (" + actorName + ")]";
        }
    }

    /**
     * No usable link, and no other identity may stand in: the person must link (again) first.
     *
     * @param loginUrl a fresh login link for them, empty when none can be made
     */
    record Missing(Reason reason, String loginUrl) implements Credential {}

    /** Why a link is needed. */
    enum Reason {
        /** Never linked, and the policy says {@code identity: linked}. */
        NOT_LINKED,
        /** Linked, but PlanetScale refused to refresh the token (revoked, expired refresh token). */
        EXPIRED,
        /** Linked, but the stored token cannot be opened with the configured keys (key rotated away). */
        UNREADABLE,
        /** Linked, but PlanetScale could not be reached to refresh the token: try again shortly. */
        TRY_LATER
    }
}
