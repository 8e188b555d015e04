package dev.cutover.actions;

/**
 * The person acting: a Slack user id, the name to show PlanetScale in review bodies, and their workspace (team id;
 * empty when unknown), which with the id finds their linked PlanetScale account.
 */
public record SlackUser(String id, String name, String teamId) {
    public SlackUser {
        name = name == null || name.isBlank() ? id : name;
        teamId = teamId == null ? "" : teamId;
    }

    public SlackUser(String id, String name) {
        this(id, name, "");
    }
}
