package dev.cutover.sandbox;

import dev.cutover.deploy.Actor;

/** Someone who acts on a deploy request, with PlanetScale's actor {@code type} ({@code User} or {@code ServiceToken}). */
record Principal(String id, String displayName, String type) {
    static Principal user(Actor actor) {
        return new Principal(actor.id(), actor.name(), "User");
    }

    /** The caller of an API request: PlanetScale attributes it to the service token, not to a person. */
    static Principal serviceToken(String tokenId) {
        return new Principal(tokenId, tokenId, "ServiceToken");
    }

    String avatarUrl() {
        return "https://www.gravatar.com/avatar/" + id + "?d=identicon";
    }
}
