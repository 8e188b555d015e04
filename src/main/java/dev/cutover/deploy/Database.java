package dev.cutover.deploy;

/** A PlanetScale database, with the setting that decides whether deploys need an approval first. */
public record Database(String name, String htmlUrl, boolean requireApprovalForDeploy, String state) {
    public Database {
        htmlUrl = htmlUrl == null ? "" : htmlUrl;
        state = state == null ? "" : state;
    }
}
