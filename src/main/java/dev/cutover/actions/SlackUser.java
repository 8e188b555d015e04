package dev.cutover.actions;

/** The person acting: a Slack user id and the name to show PlanetScale in review bodies. */
public record SlackUser(String id, String name) {
    public SlackUser {
        name = name == null || name.isBlank() ? id : name;
    }
}
