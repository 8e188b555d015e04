package dev.cutover.deploy;

/** A PlanetScale user or service token that did something (opened, queued, applied, closed). */
public record Actor(String id, String displayName) {
    public Actor {
        id = id == null ? "" : id;
        displayName = displayName == null ? "" : displayName;
    }

    /** The name to show a person: the display name, else the id. */
    public String name() {
        return displayName.isBlank() ? id : displayName;
    }
}
