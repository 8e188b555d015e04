package dev.cutover.planetscale;

/** Query filters of {@code GET …/deploy-requests}; null fields are not sent. */
public record DeployRequestFilter(String state, String branch, String intoBranch) {
    public static final DeployRequestFilter OPEN = new DeployRequestFilter("open", null, null);
    public static final DeployRequestFilter CLOSED = new DeployRequestFilter("closed", null, null);
    public static final DeployRequestFilter ALL = new DeployRequestFilter(null, null, null);
}
