package dev.cutover.actions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cutover.deploy.AvailableActions;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.audit.AuditTrail;
import dev.cutover.identity.Credential;
import dev.cutover.identity.Identities;
import dev.cutover.planetscale.CachingPlanetScaleApi;
import dev.cutover.planetscale.PlanetScaleApi;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.policy.Decision;
import dev.cutover.policy.GroupMembers;
import dev.cutover.policy.Policy;
import dev.cutover.store.ActionEntry;
import dev.cutover.store.ActionLog;
import dev.cutover.store.AuditEntry;
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
    private final Identities identities;
    /** Null: nothing is recorded (unit tests of the action path alone). */
    private final AuditTrail audit;
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
        this(api, policy, groups, actionLog, clock, Identities.SHARED, null, DeployRequestLocks.IN_PROCESS);
    }

    /**
     * @param identities whose credentials each person's write uses (their linked account, or the service token)
     * @param audit where every attempted write is recorded
     * @param fleetLocks serialises one deploy request's actions across every replica sharing the store
     */
    public DeployRequestActions(CachingPlanetScaleApi api, Policy policy, GroupMembers groups, ActionLog actionLog,
            Clock clock, Identities identities, AuditTrail audit, DeployRequestLocks fleetLocks) {
        this.identities = identities;
        this.audit = audit;
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
        return perform(user, action, typed, text, Confirmation.NONE);
    }

    /**
     * As {@link #perform(SlackUser, DeployAction, DeployRef, String)}, recording how the person confirmed (and who
     * confirmed as the second person) in the audit trail.
     */
    public ActionOutcome perform(SlackUser user, DeployAction action, DeployRef typed, String text,
            Confirmation confirmation) {
        Confirmation confirmed = confirmation == null ? Confirmation.NONE : confirmation;
        DeployRef ref = typed.normalized(); // one lock, one cache entry and one policy match per deploy request
        Decision decision = policy.check(user.id(), action.policyName(), ref.database(), groups);
        if (!decision.allowed()) {
            log.info("Policy denied {} {} for {}: {}", action.policyName(), ref, user.id(), decision.reason());
            return recorded(user, action, ref, decision, confirmed, null, new ActionOutcome.Denied(action, ref, decision.reason()));
        }
        // Policy first, then whose credentials: a linked person always acts as themselves, and a link that cannot
        // be used is never replaced by the service token.
        Credential credential = identities.forWrite(user.teamId(), user.id(), policy.requiresLinkedIdentity());
        if (credential instanceof Credential.Missing missing) {
            log.info("{} {} by {} needs a linked PlanetScale account: {}", action.policyName(), ref, user.id(),
                    missing.reason());
            return recorded(user, action, ref, decision, confirmed, credential,
                    new ActionOutcome.NeedsLink(action, ref, missing.reason().name(), missing.loginUrl()));
        }
        ReentrantLock lock = locks.get(ref, r -> new ReentrantLock());
        lock.lock();
        ActionOutcome outcome;
        try {
            outcome = fleetLocks.holding(ref.toString(),
                    () -> performLocked(user, action, ref, text == null ? "" : text, credential));
        } catch (StoreException e) {
            // The shared lock could not be taken (database unreachable): nothing reached PlanetScale.
            outcome = failed(action, ref, e);
        } finally {
            lock.unlock();
        }
        return recorded(user, action, ref, decision, confirmed, credential, outcome);
    }

    /**
     * The policy's answer for {@code user} taking {@code action} on {@code ref}: asked before a confirmation is shown.
     * A refusal is recorded in the audit trail, as the attempt it was.
     */
    public Decision decide(SlackUser user, DeployAction action, DeployRef ref) {
        DeployRef normalized = ref.normalized();
        Decision decision = policy.check(user.id(), action.policyName(), normalized.database(), groups);
        if (!decision.allowed()) {
            recorded(user, action, normalized, decision, Confirmation.NONE, null,
                    new ActionOutcome.Denied(action, normalized, decision.reason()));
        }
        return decision;
    }

    /**
     * Why {@code user} may not be asked to confirm {@code action} at all: the policy says no, or the write needs their
     * linked PlanetScale account and it is missing or no longer works (the answer then carries the link button).
     * Asked before a confirmation is shown, so nobody confirms what would then be refused; a refusal is recorded in
     * the audit trail. Empty when the confirmation may be shown.
     */
    public Optional<ActionOutcome> refusalBeforeConfirmation(SlackUser user, DeployAction action, DeployRef ref) {
        DeployRef normalized = ref.normalized();
        Decision decision = decide(user, action, normalized);
        if (!decision.allowed()) {
            return Optional.of(new ActionOutcome.Denied(action, normalized, decision.reason()));
        }
        Credential credential = identities.forWrite(user.teamId(), user.id(), policy.requiresLinkedIdentity());
        if (credential instanceof Credential.Missing missing) {
            return Optional.of(recorded(user, action, normalized, decision, Confirmation.NONE, credential,
                    new ActionOutcome.NeedsLink(action, normalized, missing.reason().name(), missing.loginUrl())));
        }
        return Optional.empty();
    }

    /**
     * A write that ended before its confirmation was shown, because the deploy request could not be read or its state
     * does not allow the action: recorded in the audit trail as the attempt it was, and handed back.
     */
    public ActionOutcome endedBeforeConfirmation(SlackUser user, DeployAction action, DeployRef ref,
            ActionOutcome outcome) {
        DeployRef normalized = ref.normalized();
        Decision decision = policy.check(user.id(), action.policyName(), normalized.database(), groups);
        return recorded(user, action, normalized, decision, Confirmation.NONE, null, outcome);
    }

    /** The outcome of a PlanetScale failure for {@code action}, worded as every other failure is. */
    public ActionOutcome failure(DeployAction action, DeployRef ref, Exception error) {
        return failed(action, ref.normalized(), error);
    }

    private ActionOutcome performLocked(SlackUser user, DeployAction action, DeployRef ref, String text,
            Credential credential) {
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
            // With a link the author is known by PlanetScale actor id, with no people map; PlanetScale's own rule
            // should refuse too, but that is UNCONFIRMED for OAuth tokens (planetscale-api.md §10), so check here.
            Optional<String> conflict = credential instanceof Credential.Person person
                    && current.author().id().equals(person.actorId())
                    ? Optional.of("you opened " + current.ref() + " (as " + current.author().name()
                            + "), and a deploy request must be approved by someone other than its author")
                    : policy.selfApprovalConflict(user.id(), current);
            if (conflict.isPresent()) {
                return new ActionOutcome.Denied(action, ref, conflict.get());
            }
        }
        // Recorded before the call: PlanetScale may send the webhook this causes before the call returns.
        ActionEntry entry = actionLog.record(ref, action, user.id(), clock.instant());
        try {
            DeployRequest after = credential instanceof Credential.Person person
                    ? callAsPerson(person.api(), user, action, ref, text)
                    : call(user, action, ref, text);
            log.info("{} {} by {}{}: now {}", action.policyName(), ref, user.id(),
                    credential instanceof Credential.Person person ? " as " + person.actorId() : "",
                    after.deploymentState().wire());
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
            if (credential instanceof Credential.Person person && e.status() >= 400 && e.status() < 500
                    && e.status() != 429) {
                log.info("PlanetScale refused {} {} for {} as {}: {}", action.policyName(), ref, user.id(),
                        person.actorId(), e.getMessage());
                boolean tokenRejected = e.status() == 401 || "invalid_token".equals(e.code());
                return new ActionOutcome.RefusedForPerson(action, ref, person.actorName(), e,
                        tokenRejected ? identities.rejected(user.teamId(), user.id()) : "");
            }
            return failed(action, ref, e);
        } catch (IOException e) {
            return failed(action, ref, e);
        }
    }

    /**
     * The write with the person's own token; reads (the fresh state after a review) keep the service token, and the
     * cache forgets what the write touched.
     */
    private DeployRequest callAsPerson(PlanetScaleApi personal, SlackUser user, DeployAction action, DeployRef ref,
            String text) throws PlanetScaleException, IOException {
        try {
            return switch (action) {
                case APPROVE -> {
                    personal.approve(ref, text.isBlank() ? "Approved in Slack via Cutover" : text.strip());
                    api.invalidate(ref);
                    yield api.fresh(ref);
                }
                case COMMENT -> {
                    personal.comment(ref, text.strip());
                    api.invalidate(ref);
                    yield api.fresh(ref);
                }
                case DEPLOY -> personal.deploy(ref, false);
                case DEPLOY_INSTANT -> personal.deploy(ref, true);
                case APPLY -> personal.applyDeploy(ref);
                case CANCEL -> personal.cancel(ref);
                case CLOSE -> personal.close(ref);
                case REVERT -> personal.revert(ref);
                case SKIP_REVERT -> personal.skipRevert(ref);
                case UNBLOCK -> personal.completeErroredDeploy(ref);
                case FORCE_CUTOVER -> personal.forceCutover(ref);
                case MAKE_GATED -> personal.autoApply(ref, false);
            };
        } finally {
            api.invalidate(ref);
        }
    }

    /** Records the attempt in the audit trail and hands the outcome back. */
    private ActionOutcome recorded(SlackUser user, DeployAction action, DeployRef ref, Decision decision,
            Confirmation confirmation, Credential credential, ActionOutcome outcome) {
        if (audit == null) {
            return outcome;
        }
        String identity = credential instanceof Credential.Person ? "linked"
                : credential instanceof Credential.ServiceToken ? "service_token" : "none";
        String actor = credential instanceof Credential.Person person
                ? person.actorId() + " (" + person.actorName() + ")" : null;
        String result;
        String answer;
        if (outcome instanceof ActionOutcome.Done done) {
            result = "done";
            answer = "now " + done.request().deploymentState().wire();
            identity = identity.equals("none") ? "service_token" : identity;
        } else if (outcome instanceof ActionOutcome.Denied denied) {
            result = "denied";
            answer = null;
            identity = "none";
            if (!denied.reason().equals(decision.reason())) {
                answer = "refused by Cutover: " + denied.reason();
            }
        } else if (outcome instanceof ActionOutcome.NeedsLink needsLink) {
            result = "needs_link";
            answer = "link " + needsLink.reason().toLowerCase(java.util.Locale.ROOT);
        } else if (outcome instanceof ActionOutcome.NotApplicable notApplicable) {
            result = "not_applicable";
            answer = "state " + notApplicable.request().deploymentState().wire();
        } else if (outcome instanceof ActionOutcome.RefusedForPerson refused) {
            result = "refused";
            answer = refused.error().getMessage();
        } else {
            ActionOutcome.Failed failed = (ActionOutcome.Failed) outcome;
            result = "failed";
            answer = failed.error() instanceof PlanetScaleException p ? p.getMessage()
                    : "no answer: " + failed.error().getClass().getSimpleName();
        }
        audit.record(new AuditEntry(0, clock.instant(), user.teamId(), user.id(), identity, actor, ref.org(),
                ref.database(), ref.number(), action.name().toLowerCase(java.util.Locale.ROOT), decision.reason(),
                confirmation.level(), confirmation.secondPerson(), result, answer));
        return outcome;
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
            case FORCE_CUTOVER -> api.forceCutover(ref);
            case MAKE_GATED -> api.autoApply(ref, false);
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
