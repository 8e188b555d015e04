package dev.cutover.planetscale;

import dev.cutover.deploy.Database;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import dev.cutover.deploy.Review;
import java.io.IOException;
import java.util.List;

/**
 * The PlanetScale API for one organization (planetscale-api.md §3). Reads may be retried by the
 * implementation; writes are sent exactly once.
 *
 * <p>Every method throws {@link PlanetScaleException} for an HTTP error answer and {@link IOException} when
 * the network failed or timed out (then the caller cannot know whether a write happened).
 */
public interface PlanetScaleApi {
    /** The organization this client acts on. */
    String org();

    /** All databases of the organization (every page). */
    List<Database> listDatabases() throws PlanetScaleException, IOException;

    Database getDatabase(String database) throws PlanetScaleException, IOException;

    /** Deploy requests of a database matching the filter, following {@code next_page} up to {@code limit} items. */
    List<DeployRequest> listDeployRequests(String database, DeployRequestFilter filter, int limit) throws PlanetScaleException, IOException;

    DeployRequest getDeployRequest(DeployRef ref) throws PlanetScaleException, IOException;

    /** {@code POST …/reviews} with {@code state: approved}. */
    Review approve(DeployRef ref, String body) throws PlanetScaleException, IOException;

    /** {@code POST …/reviews} with {@code state: commented}. */
    Review comment(DeployRef ref, String body) throws PlanetScaleException, IOException;

    List<Review> listReviews(DeployRef ref) throws PlanetScaleException, IOException;

    /** Queues the deploy request ({@code POST …/deploy}); {@code instant} sends {@code instant_ddl: true}. */
    DeployRequest deploy(DeployRef ref, boolean instant) throws PlanetScaleException, IOException;

    /** Triggers the gated cutover of a request in {@code pending_cutover} ({@code POST …/apply-deploy}). */
    DeployRequest applyDeploy(DeployRef ref) throws PlanetScaleException, IOException;

    DeployRequest cancel(DeployRef ref) throws PlanetScaleException, IOException;

    /** {@code PATCH …} with {@code state: closed}. */
    DeployRequest close(DeployRef ref) throws PlanetScaleException, IOException;

    /** Starts a revert inside the revert window ({@code POST …/revert}). */
    DeployRequest revert(DeployRef ref) throws PlanetScaleException, IOException;

    DeployRequest skipRevert(DeployRef ref) throws PlanetScaleException, IOException;

    /** Marks a failed deploy or revert done so the queue moves ({@code POST …/complete-deploy}). */
    DeployRequest completeErroredDeploy(DeployRef ref) throws PlanetScaleException, IOException;

    /** Finishes a cutover stuck in {@code in_progress_cutover} ({@code POST …/force-cutover}, planetscale-api.md §3 #13). */
    DeployRequest forceCutover(DeployRef ref) throws PlanetScaleException, IOException;

    /** Turns auto-apply ({@code auto_cutover}) on or off ({@code PUT …/auto-apply} with {@code enable}, §3 #14). */
    DeployRequest autoApply(DeployRef ref, boolean enable) throws PlanetScaleException, IOException;

    /** The deploy queue of a database, in deploy order. */
    List<Deployment> deployQueue(String database) throws PlanetScaleException, IOException;

    List<DeployOperation> listOperations(DeployRef ref) throws PlanetScaleException, IOException;

    /** Whether the credentials work at all ({@code GET /v1/organizations}); tells a bad token from no access. */
    boolean canSeeOrganization() throws PlanetScaleException, IOException;
}
