package dev.cutover.planetscale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cutover.deploy.Actor;

/** PlanetScale's Actor object (planetscale-api.md §4.6). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record WireActor(String id, String displayName) {
    Actor toDomain() {
        return new Actor(id, displayName);
    }

    /** Null-safe: PlanetScale sends {@code null} for actors that did not act yet ({@code closed_by}, …). */
    static Actor toDomain(WireActor actor) {
        return actor == null ? null : actor.toDomain();
    }
}
