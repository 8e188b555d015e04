package dev.cutover.actions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cutover.deploy.AvailableActions;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.planetscale.CachingPlanetScaleApi;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.policy.Decision;
import dev.cutover.policy.GroupMembers;
import dev.cutover.policy.Policy;
import dev.cutover.store.ActionEntry;
import dev.cutover.store.ActionLog;
import java.io.IOException;
import dev.cutover.store.DeployRequestLocks;
import dev.cutover.store.StoreException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every write to a deploy request happens, whether it came from {@code /pscale} or a button.
 *
 * <p>Order: policy (against the reference the request names, never what a card showed), a fresh read,
 * {@link AvailableActions} on that fresh state, the self-approval rule, then one PlanetScale call. Actions on
 * one deploy request are serialised in this process, so a double click is answered "already done" from the
 * new state instead of reaching PlanetScale twice.
 */
public final class DeployRequestActions {
    private static final Logger log = LoggerFactory.getLogger(DeployRequestActions.class);

    private final CachingPlanetScaleApi api;
    private final Policy policy;
    private final GroupMembers groups;
    private final ActionLog actionLog;
    private final Clock clock;
    /**
     * One lock per deploy request, held across the (possibly slow) PlanetScale calls. Weak values: a lock lives
     * exactly as long as some thread holds or awaits it, so it can never be dropped while another thread is about
     * to take it (removing idle locks from a map by hand has that race), and unrelated requests never share one
     * (fixed stripes did, and serialised them behind each other's slow calls).
     */
    private final Cache<DeployRef, ReentrantLock> locks = Caffeine.newBuilder().weakValues().build();
    /**
     * The same lock across replicas sharing a PostgreSQL store (an advisory lock); a no-op on SQLite. Taken inside
     * the in-process lock, so one replica's concurrent clicks queue here and hold one database connection at most.
     */
    private final DeployRequestLocks fleetLocks;

    /** @param actionLog where each action is recorded, for the cards' history and the threads' credits */
    public DeployRequestActions(CachingPlanetScaleApi api, Policy policy, GroupMembers groups, ActionLog actionLog,
            Clock clock) {
        this(api, policy, groups, actionLog, clock, DeployRequestLocks.IN_PROCESS);
    }

    /** @param fleetLocks serialises one deploy request's actions across every replica sharing the store */
    public DeployRequestActions(CachingPlanetScaleApi api, Policy policy, GroupMembers groups, ActionLog actionLog,
            Clock clock, DeployRequestLocks fleetLocks) {
        this.fleetLocks = fleetLocks;
        this.api = api;
        this.policy = policy;
        this.groups = groups;
        this.actionLog = actionLog;
        this.clock = clock;
    }

    /**
     * Performs {@code action} for {@code user}. Never throws; every failure is an {@link ActionOutcome}.
     *
     * @param text the review body for approve/comment ("" otherwise)
     */
    public ActionOutcome perform(SlackUser user, DeployAction action, DeployRef typed, String text) {
        DeployRef ref = typed.normalized(); // one lock, one cache entry and one policy match per deploy request
        Decision decision = policy.check(user.id(), action.policyName(), ref.database(), groups);
        if (!decision.allowed()) {
            log.info("Policy denied {} {} for {}: {}", action.policyName(), ref, user.id(), decision.reason());
            return new ActionOutcome.Denied(action, ref, decision.reason());
        }
        ReentrantLock lock = locks.get(ref, r -> new ReentrantLock());
        lock.lock();
        try {
            return fleetLocks.holding(ref.toString(), () -> performLocked(user, action, ref, text == null ? "" : text));
        } catch (StoreException e) {
            // The shared lock could not be taken (database unreachable): nothing reached PlanetScale.
            return failed(action, ref, e);
        } finally {
            lock.unlock();
        }
    }

    private ActionOutcome performLocked(SlackUser user, DeployAction action, DeployRef ref, String text) {
        DeployRequest current;
        try {
            current = api.fresh(ref);
        } catch (PlanetScaleException | IOException e) {
            return failed(action, ref, e);
        }
        if (!AvailableActions.allows(current, approvalRequired(ref.database()), action)) {
            return new ActionOutcome.NotApplicable(action, ref, current);
        }
        if (action == DeployAction.APPROVE) {
            Optional<String> conflict = policy.selfApprovalConflict(user.id(), current);
            if (conflict.isPresent()) {
                return new ActionOutcome.Denied(action, ref, conflict.get());
            }
        }
        // Recorded before the call: PlanetScale may send the webhook this causes before the call returns.
        ActionEntry entry = actionLog.record(ref, action, user.id(), clock.instant());
        try {
            DeployRequest after = call(user, action, ref, text);
            log.info("{} {} by {}: now {}", action.policyName(), ref, user.id(), after.deploymentState().wire());
            return new ActionOutcome.Done(action, ref, after);
        } catch (PlanetScaleException e) {
            actionLog.forget(entry);
            if (e.status() >= 400 && e.status() < 500 && e.status() != 429 && e.status() != 404) {
                // Decide from the re-fetched state, not from the (undocumented) error wording.
                try {
                    DeployRequest now = api.fresh(ref);
                    if (!AvailableActions.allows(now, approvalRequired(ref.database()), action)) {
                        return new ActionOutcome.NotApplicable(action, ref, now);
                    }
                } catch (PlanetScaleException | IOException ignored) {
                    // Fall through to the original failure.
                }
            }
            return failed(action, ref, e);
        } catch (IOException e) {
            return failed(action, ref, e);
        }
    }

    private DeployRequest call(SlackUser user, DeployAction action, DeployRef ref, String text)
            throws PlanetScaleException, IOException {
        return switch (action) {
            case APPROVE -> {
                // PlanetScale sees only the service token; the body carries who approved in Slack.
                api.approve(ref, reviewBody("Approved", user, text));
                yield api.fresh(ref);
            }
            case COMMENT -> {
                api.comment(ref, reviewBody("Comment", user, text));
                yield api.fresh(ref);
            }
            case DEPLOY -> api.deploy(ref, false);
            case DEPLOY_INSTANT -> api.deploy(ref, true);
            case APPLY -> api.applyDeploy(ref);
            case CANCEL -> api.cancel(ref);
            case CLOSE -> api.close(ref);
            case REVERT -> api.revert(ref);
            case SKIP_REVERT -> api.skipRevert(ref);
            case UNBLOCK -> api.completeErroredDeploy(ref);
        };
    }

    static String reviewBody(String verb, SlackUser user, String text) {
        String by = verb + " in Slack by " + user.name() + " (" + user.id() + ") via Cutover";
        return text.isBlank() ? by : text.strip() + "\n\n— " + by;
    }

    /** Whether deploys on this database need an approval; unknown counts as not required (PlanetScale decides). */
    public boolean approvalRequired(String database) {
        try {
            return api.getDatabase(database).requireApprovalForDeploy();
        } catch (PlanetScaleException | IOException e) {
            return false;
        }
    }

    private ActionOutcome failed(DeployAction action, DeployRef ref, Exception error) {
        Boolean seesOrganization = null;
        if (error instanceof PlanetScaleException p && p.isNotFound()) {
            seesOrganization = tokenSeesOrganization();
        }
        log.warn("{} {} failed: {}", action.policyName(), ref, error.toString());
        return new ActionOutcome.Failed(action, ref, error, seesOrganization);
    }

    /** Tells "no such deploy request" from "the token cannot see it" (PlanetScale answers 404 for both). */
    public Boolean tokenSeesOrganization() {
        try {
            return api.canSeeOrganization();
        } catch (PlanetScaleException | IOException e) {
            return null;
        }
    }
}
