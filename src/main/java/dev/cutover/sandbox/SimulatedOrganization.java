package dev.cutover.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.DeploymentState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The simulated organization's state and its deploy-request lifecycle (planetscale-api.md §5.4). One lock
 * guards everything: Jetty threads, {@code tick()} and test threads all come through {@link #locked}. Webhooks
 * raised while the lock is held are rendered immediately and handed to the sender only after it is released.
 */
final class SimulatedOrganization {

    final String name;
    final String id;
    final Instant createdAt;
    private final Clock clock;
    private final Steps steps;
    private final WireJson json;
    private final WebhookSender webhooks;
    private final PublicIds ids;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, SimulatedDatabase> databases = new LinkedHashMap<>();
    private final List<SimulatedDeployRequest> deployRequests = new ArrayList<>();
    private final List<WebhookSender.Delivery> outbox = new ArrayList<>();
    private long lastQueueSequence;

    SimulatedOrganization(String name, Clock clock, Steps steps, WireJson json, WebhookSender webhooks) {
        this.name = name;
        this.clock = clock;
        this.steps = steps;
        this.json = json;
        this.webhooks = webhooks;
        this.ids = new PublicIds();
        this.id = ids.next();
        this.createdAt = clock.instant();
    }

    /** Runs {@code action} under the lock, then sends the webhooks it raised. */
    <T> T locked(Supplier<T> action) {
        List<WebhookSender.Delivery> raised;
        List<Target> targets = new ArrayList<>();
        T result;
        lock.lock();
        try {
            result = action.get();
        } finally {
            raised = List.copyOf(outbox);
            outbox.clear();
            for (WebhookSender.Delivery delivery : raised) {
                targets.addAll(targetsOf(delivery));
            }
            lock.unlock();
        }
        raised.forEach(webhooks::send);
        for (Target target : targets) {
            if (target.broken()) {
                recordOutcome(target, new WebhookSender.Outcome(false, "Connection refused (simulated outage)"));
            } else {
                webhooks.sendTo(target.delivery(), target.url(), target.secret(), outcome -> recordOutcome(target,
                        outcome));
            }
        }
        return result;
    }

    /** A delivery bound for one configured webhook, captured under the lock. */
    private record Target(WebhookSender.Delivery delivery, String webhookId, String url, String secret,
            boolean broken) {}

    private List<Target> targetsOf(WebhookSender.Delivery delivery) {
        SimulatedDatabase database = databases.get(delivery.database());
        if (database == null) {
            return List.of();
        }
        List<Target> targets = new ArrayList<>();
        for (SimulatedWebhook webhook : database.webhooks) {
            boolean test = delivery.onlyWebhook() != null;
            if (test ? webhook.id.equals(delivery.onlyWebhook()) : webhook.enabled && webhook.wants(delivery.event())) {
                targets.add(new Target(delivery, webhook.id, webhook.url, webhook.secret,
                        brokenDeliveries.contains(database.name)));
            }
        }
        return targets;
    }

    private void recordOutcome(Target target, WebhookSender.Outcome outcome) {
        locked(() -> {
            SimulatedDatabase database = databases.get(target.delivery().database());
            if (database == null) {
                return null;
            }
            database.webhooks.stream().filter(w -> w.id.equals(target.webhookId())).findFirst().ifPresent(webhook -> {
                Instant now = clock.instant();
                webhook.lastSentAt = now;
                webhook.lastSentSuccess = outcome.success();
                webhook.lastSentResult = outcome.result();
                webhook.failuresInARow = outcome.success() ? 0 : webhook.failuresInARow + 1;
                if (webhook.enabled && disableAfterFailures > 0 && webhook.failuresInARow >= disableAfterFailures) {
                    // PlanetScale switches off a webhook that keeps failing, silently (planetscale-api.md §7.2).
                    webhook.enabled = false;
                    webhook.updatedAt = now;
                }
            });
            return null;
        });
    }

    // ---- webhooks configured through the API (callers hold the lock) ----

    /** PlanetScale's limit per database (planetscale-api.md §7.1). */
    static final int MAX_WEBHOOKS = 5;
    static final Duration TEST_INTERVAL = Duration.ofSeconds(20);
    /** Failed deliveries in a row after which a webhook is disabled (PlanetScale's own number is not published). */
    int disableAfterFailures = 3;
    /** Databases whose webhook deliveries fail as if the receiver were down. */
    final java.util.Set<String> brokenDeliveries = new java.util.HashSet<>();

    List<SimulatedWebhook> webhooks(String databaseName) {
        return List.copyOf(database(databaseName).webhooks);
    }

    SimulatedWebhook webhook(String databaseName, String id) {
        return database(databaseName).webhooks.stream().filter(w -> w.id.equals(id)).findFirst()
                .orElseThrow(ApiError::notFound);
    }

    SimulatedWebhook createWebhook(String databaseName, String url, boolean enabled, List<String> events) {
        SimulatedDatabase database = database(databaseName);
        if (database.webhooks.size() >= MAX_WEBHOOKS) {
            throw ApiError.unprocessable("A database can have at most " + MAX_WEBHOOKS + " webhooks");
        }
        checkUrl(url);
        SimulatedWebhook webhook = new SimulatedWebhook(ids.next(), "whsec_" + ids.next() + ids.next(), url, enabled,
                events, clock.instant());
        database.webhooks.add(webhook);
        return webhook;
    }

    SimulatedWebhook updateWebhook(String databaseName, String id, String url, Boolean enabled, List<String> events) {
        SimulatedWebhook webhook = webhook(databaseName, id);
        if (url != null) {
            checkUrl(url);
            webhook.url = url;
        }
        if (enabled != null) {
            webhook.enabled = enabled;
            webhook.failuresInARow = 0;
        }
        if (events != null) {
            webhook.events = List.copyOf(events);
        }
        webhook.updatedAt = clock.instant();
        return webhook;
    }

    void deleteWebhook(String databaseName, String id) {
        database(databaseName).webhooks.remove(webhook(databaseName, id));
    }

    /** {@code POST …/webhooks/{id}/test}: {@code webhook.test} to that webhook only, at most once every 20 s. */
    void testWebhook(String databaseName, String id) {
        SimulatedWebhook webhook = webhook(databaseName, id);
        Instant now = clock.instant();
        if (webhook.lastTestAt != null && now.isBefore(webhook.lastTestAt.plus(TEST_INTERVAL))) {
            throw ApiError.unprocessable("You can only send a test webhook once every 20 seconds");
        }
        webhook.lastTestAt = now;
        outbox.add(new WebhookSender.Delivery("webhook.test", databaseName, json.database(database(databaseName)),
                now, webhook.id));
    }

    /** PlanetScale requires a public HTTPS URL; the sandbox also takes loopback HTTP (the bot's own listener). */
    private static void checkUrl(String url) {
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://127.0.0.1")
                || url.startsWith("http://localhost"))) {
            throw ApiError.unprocessable("Url must be a valid HTTPS URL");
        }
    }

    // ---- reading (callers hold the lock) ----

    List<SimulatedDatabase> databases() {
        return List.copyOf(databases.values());
    }

    SimulatedDatabase database(String databaseName) {
        SimulatedDatabase database = databases.get(databaseName);
        if (database == null) {
            throw ApiError.notFound();
        }
        return database;
    }

    SimulatedDeployRequest deployRequest(String databaseName, int number) {
        SimulatedDatabase database = database(databaseName);
        return deployRequests.stream()
                .filter(request -> request.database == database && request.number == number)
                .findFirst()
                .orElseThrow(ApiError::notFound);
    }

    /** A database's deploy requests, newest first (what pscale's "take data[0]" relies on). */
    List<SimulatedDeployRequest> deployRequests(String databaseName) {
        SimulatedDatabase database = database(databaseName);
        return deployRequests.stream()
                .filter(request -> request.database == database)
                .sorted(Comparator.comparingInt((SimulatedDeployRequest request) -> request.number).reversed())
                .toList();
    }

    /** Deployments holding a place in the database's deploy queues, in deploy order. */
    List<SimulatedDeployRequest> deployQueue(String databaseName) {
        SimulatedDatabase database = database(databaseName);
        return deployRequests.stream()
                .filter(request -> request.database == database && request.occupiesDeployQueue())
                .sorted(Comparator.comparingLong(request -> request.queueSequence))
                .toList();
    }

    ObjectNode render(SimulatedDeployRequest request) {
        return json.deployRequest(request, ahead(request));
    }

    ObjectNode renderDeployment(SimulatedDeployRequest request) {
        return json.deployment(request, ahead(request));
    }

    // ---- seeding ----

    SimulatedDatabase putDatabase(String databaseName, boolean requireApproval) {
        Instant now = clock.instant();
        SimulatedDatabase database = databases.get(databaseName);
        if (database == null) {
            database = new SimulatedDatabase(ids.next(), databaseName, requireApproval, now);
            databases.put(databaseName, database);
        } else {
            database.requireApprovalForDeploy = requireApproval;
            database.updatedAt = now;
        }
        return database;
    }

    /** Opens a deploy request; {@code announce} sends {@code deploy_request.opened}. */
    SimulatedDeployRequest open(DeployRequestSeed seed, boolean announce) {
        Instant now = clock.instant();
        SimulatedDatabase database = databases.get(seed.database());
        if (database == null) {
            throw new IllegalArgumentException("no database named " + seed.database() + "; call setDatabase first");
        }
        List<SimulatedOperation> operations = new ArrayList<>();
        for (String ddl : seed.ddl()) {
            operations.add(new SimulatedOperation(ids.next(), ids.next(), database.name, ddl, now));
        }
        database.lastNumber++;
        SimulatedDeployRequest request = new SimulatedDeployRequest(database, database.lastNumber, ids.next(),
                ids.next(), ids.next(), ids.next(), seed, operations, now);
        if (seed.approved()) {
            request.reviews.add(new SimulatedDeployRequest.SimulatedReview(ids.next(), "approved", "",
                    new Principal("priya-raman", "Priya Raman", "User"), now));
        }
        deployRequests.add(request);
        if (announce) {
            raise("deploy_request.opened", request, now);
        }
        if (seed.checked()) {
            finishChecks(request, now, announce);
        } else {
            request.nextStepAt = now.plus(steps.checks());
        }
        return request;
    }

    /** Puts a seeded request straight into history: deployed at {@code deployedAt} and closed. */
    void markDeployed(SimulatedDeployRequest request, Instant deployedAt) {
        request.deploymentState = DeploymentState.COMPLETE;
        request.deployer = request.author;
        request.cutoverActor = request.author;
        request.queueSequence = ++lastQueueSequence;
        request.queuedAt = deployedAt.minus(steps.queue()).minus(steps.run()).minus(steps.cutover());
        request.startedAt = request.queuedAt.plus(steps.queue());
        request.readyToCutoverAt = request.startedAt.plus(steps.run());
        request.cutoverAt = request.readyToCutoverAt;
        request.finishedAt = deployedAt;
        request.deployedAt = deployedAt;
        request.revertWindowEndsAt = deployedAt.plus(steps.revertWindow());
        request.revertUpdatedAt = request.revertWindowEndsAt;
        request.moveOperations("complete", 100.0, 0.0, deployedAt);
        request.createdAt = request.queuedAt.minus(Duration.ofHours(3));
        request.operations.forEach(operation -> operation.createdAt = request.createdAt);
        request.close(request.author, request.revertWindowEndsAt);
        request.updatedAt = request.revertWindowEndsAt;
        request.nextStepAt = null;
    }

    // ---- actions from the API (callers hold the lock) ----

    SimulatedDeployRequest.SimulatedReview review(SimulatedDeployRequest request, String state, String body,
            Principal caller) {
        Instant now = clock.instant();
        if (!request.open) {
            throw ApiError.unprocessable("Deploy request is closed and can no longer be reviewed");
        }
        switch (state) {
            case "approved" -> {
                if (request.database.requireApprovalForDeploy && request.author.id().equals(caller.id())) {
                    throw ApiError.unprocessable("Deploy request authors cannot approve their own deploy requests.");
                }
                request.approved = true;
            }
            case "commented" -> {
                if (body.isBlank()) {
                    throw ApiError.unprocessable("Body can't be blank");
                }
                request.numComments++;
            }
            default -> throw ApiError.unprocessable("State is not included in the list");
        }
        var review = new SimulatedDeployRequest.SimulatedReview(ids.next(), state, body, caller, now);
        request.reviews.add(review);
        request.updatedAt = now;
        return review;
    }

    void deploy(SimulatedDeployRequest request, boolean instant, Principal caller) {
        Instant now = clock.instant();
        refuseUnlessDeployable(request);
        if (request.database.requireApprovalForDeploy && !request.approved) {
            throw ApiError.unprocessable("Deploy request must be approved before it can be deployed");
        }
        if (instant && !request.instantEligible) {
            throw ApiError.unprocessable("Deploy request is not eligible for instant deployment");
        }
        if (instant && deployRequests.stream().anyMatch(other -> other != request && other.sameLaneAs(request)
                && other.occupiesDeployQueue())) {
            throw ApiError.unprocessable("Deploy request cannot be deployed instantly while another deployment to "
                    + request.intoBranch + " is in the deploy queue");
        }
        request.deployer = caller;
        request.queueSequence = ++lastQueueSequence;
        request.queuedAt = now;
        request.updatedAt = now;
        if (instant) {
            deployInstantly(request, caller, now);
            return;
        }
        request.deploymentState = DeploymentState.QUEUED;
        request.moveOperations("queued", null, null, now);
        request.revertUpdatedAt = now;
        request.nextStepAt = now.plus(steps.queue());
        raise("deploy_request.queued", request, now);
    }

    void applyDeploy(SimulatedDeployRequest request, Principal caller) {
        Instant now = clock.instant();
        if (!request.open || request.deploymentState != DeploymentState.PENDING_CUTOVER) {
            throw ApiError.unprocessable("Deploy request is not pending cutover");
        }
        startCutover(request, caller, now);
    }

    /** Only a cutover under way can be forced (planetscale-api.md §5.5); it then finishes at the next step. */
    void forceCutover(SimulatedDeployRequest request, Principal caller) {
        Instant now = clock.instant();
        if (!request.open || request.deploymentState != DeploymentState.IN_PROGRESS_CUTOVER) {
            throw ApiError.unprocessable("Deploy request is not in progress cutover");
        }
        request.forceCutoverRequestedAt = now;
        request.cutoverActor = caller;
        request.updatedAt = now;
        request.nextStepAt = now.plus(steps.cutover());
    }

    /** {@code auto-apply}: the same setting as {@code auto_cutover}; refused once the cutover has begun. */
    void autoApply(SimulatedDeployRequest request, boolean enable) {
        Instant now = clock.instant();
        switch (request.deploymentState) {
            case PENDING, READY, QUEUED, SUBMITTING, IN_PROGRESS, PENDING_CUTOVER -> { }
            default -> throw ApiError.unprocessable("Auto-apply cannot be changed while the deployment is "
                    + request.deploymentState.wire());
        }
        if (!request.open) {
            throw ApiError.unprocessable("Deploy request is closed");
        }
        request.autoCutover = enable;
        request.updatedAt = now;
        if (enable && request.deploymentState == DeploymentState.PENDING_CUTOVER) {
            startCutover(request, request.deployer, now);
        }
    }

    void cancel(SimulatedDeployRequest request, Principal caller) {
        Instant now = clock.instant();
        switch (request.deploymentState) {
            case QUEUED, SUBMITTING, IN_PROGRESS, PENDING_CUTOVER -> { }
            default -> throw ApiError.unprocessable(
                    "Only queued or running deployments can be cancelled, and this deploy request is "
                            + request.deploymentState.wire());
        }
        request.deploymentState = DeploymentState.IN_PROGRESS_CANCEL;
        request.cancelledActor = caller;
        request.updatedAt = now;
        request.nextStepAt = now.plus(steps.cancel());
    }

    void close(SimulatedDeployRequest request, String state, Principal caller) {
        Instant now = clock.instant();
        if (!"closed".equals(state)) {
            throw ApiError.unprocessable("State can only be changed to closed");
        }
        if (!request.open) {
            throw ApiError.unprocessable("Deploy request is already closed");
        }
        switch (request.deploymentState) {
            case PENDING, READY, NO_CHANGES, ERROR, COMPLETE_CANCEL, CANCELLED -> { }
            default -> throw ApiError.unprocessable(
                    "Deploy request cannot be closed while its deployment is " + request.deploymentState.wire());
        }
        request.close(caller, now);
        request.updatedAt = now;
        request.nextStepAt = null;
        raise("deploy_request.closed", request, now);
    }

    void revert(SimulatedDeployRequest request, Principal caller) {
        Instant now = clock.instant();
        refuseUnlessInRevertWindow(request);
        request.deploymentState = DeploymentState.IN_PROGRESS_REVERT;
        request.revertActor = caller;
        request.moveRevertOperations("submit", now);
        request.updatedAt = now;
        request.nextStepAt = now.plus(steps.revert());
        raise("deploy_request.reverted", request, now);
    }

    void skipRevert(SimulatedDeployRequest request, Principal caller) {
        Instant now = clock.instant();
        refuseUnlessInRevertWindow(request);
        request.revertActor = caller;
        request.revertCancelledAt = now;
        request.revertUpdatedAt = now;
        finish(request, caller, now);
    }

    void completeErroredDeploy(SimulatedDeployRequest request, Principal caller) {
        Instant now = clock.instant();
        switch (request.deploymentState) {
            case COMPLETE_ERROR -> request.deploymentState = DeploymentState.COMPLETE;
            case COMPLETE_REVERT_ERROR -> request.deploymentState = DeploymentState.COMPLETE_REVERT;
            default -> throw ApiError.unprocessable("Deploy request does not have a failed deployment to complete");
        }
        request.close(caller, now);
        request.updatedAt = now;
        request.nextStepAt = null;
        wakeDeployQueue(request, now);
        raise("deploy_request.closed", request, now);
    }

    // ---- time ----

    /** Applies, in due order, every step whose time has come, then refreshes running progress. */
    void tick() {
        Instant now = clock.instant();
        // Each step either changes state or clears nextStepAt, so this ends; the cap guards against a bug.
        for (int applied = 0; applied < 100_000; applied++) {
            Optional<SimulatedDeployRequest> due = deployRequests.stream()
                    .filter(request -> request.nextStepAt != null && !request.nextStepAt.isAfter(now))
                    .min(Comparator.comparing((SimulatedDeployRequest request) -> request.nextStepAt)
                            .thenComparingLong(request -> request.queueSequence)
                            .thenComparing(request -> request.database.name)
                            .thenComparingInt(request -> request.number));
            if (due.isEmpty()) {
                break;
            }
            step(due.get(), due.get().nextStepAt);
        }
        deployRequests.stream()
                .filter(request -> request.deploymentState == DeploymentState.IN_PROGRESS)
                .forEach(request -> reportProgress(request, now));
    }

    private void step(SimulatedDeployRequest request, Instant at) {
        request.nextStepAt = null;
        switch (request.deploymentState) {
            case PENDING -> finishChecks(request, at, true);
            case QUEUED -> {
                if (!isBlocked(request)) {
                    startRunning(request, at);
                }
                // Otherwise it waits without a due time; wakeDeployQueue schedules it when the lane frees up.
            }
            case IN_PROGRESS -> finishRunning(request, at);
            case IN_PROGRESS_CUTOVER -> finishCutover(request, at);
            case COMPLETE_PENDING_REVERT -> finish(request, request.deployer, at);
            case IN_PROGRESS_CANCEL -> {
                request.deploymentState = DeploymentState.COMPLETE_CANCEL;
                request.finishedAt = at;
                request.moveOperations("cancelled", null, null, at);
                request.updatedAt = at;
                wakeDeployQueue(request, at);
            }
            case IN_PROGRESS_REVERT -> {
                request.deploymentState = DeploymentState.COMPLETE_REVERT;
                request.revertFinishedAt = at;
                request.moveRevertOperations("complete", at);
                request.close(request.revertActor, at);
                request.updatedAt = at;
                wakeDeployQueue(request, at);
                raise("deploy_request.closed", request, at);
            }
            default -> {
                // Nothing is scheduled from any other state.
            }
        }
    }

    private void finishChecks(SimulatedDeployRequest request, Instant at, boolean announce) {
        request.updatedAt = at;
        if (request.lintErrors.isEmpty()) {
            // No webhook exists for ready (planetscale-api.md §7.5 "Gaps"): the bot has to poll for it.
            request.deploymentState = DeploymentState.READY;
            return;
        }
        request.deploymentState = DeploymentState.ERROR;
        if (announce) {
            raise("deploy_request.errored", request, at);
        }
    }

    private void startRunning(SimulatedDeployRequest request, Instant at) {
        request.deploymentState = DeploymentState.IN_PROGRESS;
        request.startedAt = at;
        request.moveOperations("in_progress", 0.0, (double) steps.run().toSeconds(), at);
        request.updatedAt = at;
        request.nextStepAt = at.plus(steps.run());
        raise("deploy_request.in_progress", request, at);
    }

    private void reportProgress(SimulatedDeployRequest request, Instant now) {
        long total = Math.max(1, steps.run().toMillis());
        long elapsed = Math.max(0, Duration.between(request.startedAt, now).toMillis());
        // Stays below 100 until the step completes, as a running online schema change does.
        double progress = Math.min(99.0, Math.floor(100.0 * elapsed / total));
        double eta = Math.max(0, (total - elapsed) / 1000.0);
        Double current = request.operations.get(0).progressPercentage;
        if (current == null || progress > current) {
            request.moveOperations("in_progress", progress, eta, now);
            request.updatedAt = now;
        }
    }

    private void finishRunning(SimulatedDeployRequest request, Instant at) {
        request.updatedAt = at;
        if (request.failsWhileRunning) {
            request.deploymentState = DeploymentState.COMPLETE_ERROR;
            request.finishedAt = at;
            for (SimulatedOperation operation : request.operations) {
                operation.moveTo("error", operation.progressPercentage, null, at);
                operation.deployErrors = "Lock wait timeout exceeded while copying rows of " + operation.table
                        + "; the deployment was stopped.";
            }
            raise("deploy_request.errored", request, at);
            return;
        }
        request.moveOperations("complete", 100.0, 0.0, at);
        request.readyToCutoverAt = at;
        if (request.autoCutover) {
            startCutover(request, request.deployer, at);
        } else {
            request.deploymentState = DeploymentState.PENDING_CUTOVER;
            raise("deploy_request.pending_cutover", request, at);
        }
    }

    private void startCutover(SimulatedDeployRequest request, Principal by, Instant at) {
        request.deploymentState = DeploymentState.IN_PROGRESS_CUTOVER;
        request.cutoverActor = by;
        request.cutoverAt = at;
        request.updatedAt = at;
        // A stuck cutover waits (no due step) until force-cutover schedules its end.
        request.nextStepAt = request.stuckAtCutover ? null : at.plus(steps.cutover());
    }

    private void finishCutover(SimulatedDeployRequest request, Instant at) {
        request.deploymentState = DeploymentState.COMPLETE_PENDING_REVERT;
        request.deployedAt = at;
        request.finishedAt = at;
        request.revertWindowEndsAt = at.plus(steps.revertWindow());
        request.revertUpdatedAt = at;
        request.updatedAt = at;
        request.nextStepAt = request.revertWindowEndsAt;
        raise("deploy_request.schema_applied", request, at);
    }

    /** Final {@code complete}: after skip-revert or when the revert window runs out. */
    private void finish(SimulatedDeployRequest request, Principal by, Instant at) {
        request.deploymentState = DeploymentState.COMPLETE;
        request.close(by, at);
        request.updatedAt = at;
        request.nextStepAt = null;
        wakeDeployQueue(request, at);
        raise("deploy_request.closed", request, at);
    }

    /** Instant deployments skip the queue wait, the cutover gate and the revert window (planetscale-api.md §3). */
    private void deployInstantly(SimulatedDeployRequest request, Principal caller, Instant now) {
        request.instantDdl = true;
        request.deploymentState = DeploymentState.COMPLETE;
        request.startedAt = now;
        request.readyToCutoverAt = now;
        request.cutoverActor = caller;
        request.cutoverAt = now;
        request.finishedAt = now;
        request.deployedAt = now;
        request.moveOperations("complete", 100.0, 0.0, now);
        request.close(caller, now);
        request.nextStepAt = null;
        raise("deploy_request.schema_applied", request, now);
        raise("deploy_request.closed", request, now);
    }

    // ---- deploy queue ----

    /** Deployments ahead of {@code request} in its target branch's queue. */
    private List<SimulatedDeployRequest> ahead(SimulatedDeployRequest request) {
        if (request.deploymentState != DeploymentState.QUEUED) {
            return List.of();
        }
        return deployRequests.stream()
                .filter(other -> isAhead(other, request))
                .sorted(Comparator.comparingLong(other -> other.queueSequence))
                .toList();
    }

    private boolean isAhead(SimulatedDeployRequest other, SimulatedDeployRequest request) {
        return other != request && other.sameLaneAs(request) && other.occupiesDeployQueue()
                && (other.deploymentState != DeploymentState.QUEUED || other.queueSequence < request.queueSequence);
    }

    private boolean isBlocked(SimulatedDeployRequest request) {
        return deployRequests.stream().anyMatch(other -> isAhead(other, request));
    }

    /** A deployment left the queue at {@code at}: the next waiting one in its lane may start then. */
    private void wakeDeployQueue(SimulatedDeployRequest left, Instant at) {
        deployRequests.stream()
                .filter(waiting -> waiting.sameLaneAs(left) && waiting.deploymentState == DeploymentState.QUEUED
                        && waiting.nextStepAt == null && !isBlocked(waiting))
                .min(Comparator.comparingLong(waiting -> waiting.queueSequence))
                .ifPresent(waiting -> waiting.nextStepAt = at);
    }

    // ---- refusals ----

    private static void refuseUnlessDeployable(SimulatedDeployRequest request) {
        if (!request.open) {
            throw ApiError.unprocessable("Deploy request is closed and cannot be deployed");
        }
        String refusal = switch (request.deploymentState) {
            case READY -> null;
            case PENDING -> "Deploy request is still running deploy checks. Try again once they have finished";
            case ERROR -> "Deploy request has errors that must be fixed before it can be deployed";
            case NO_CHANGES -> "Deploy request has no schema changes to deploy";
            case COMPLETE_CANCEL, CANCELLED -> "Cancelled deploy requests cannot be deployed again";
            case COMPLETE, COMPLETE_PENDING_REVERT, COMPLETE_REVERT, COMPLETE_ERROR, COMPLETE_REVERT_ERROR ->
                    "Deploy request has already been deployed";
            default -> "Deploy request is already queued for deployment";
        };
        if (refusal != null) {
            throw ApiError.unprocessable(refusal);
        }
    }

    private static void refuseUnlessInRevertWindow(SimulatedDeployRequest request) {
        if (!request.open || request.deploymentState != DeploymentState.COMPLETE_PENDING_REVERT) {
            throw ApiError.unprocessable("Deploy request is not in its revert window");
        }
    }

    private void raise(String event, SimulatedDeployRequest request, Instant at) {
        outbox.add(new WebhookSender.Delivery(event, request.database.name, render(request), at));
    }

    /** {@code webhook.test}: sent for a database, not a deploy request. */
    void raiseTest(String databaseName) {
        SimulatedDatabase database = databases.get(databaseName);
        if (database == null) {
            throw new IllegalArgumentException("no database named " + databaseName);
        }
        outbox.add(new WebhookSender.Delivery("webhook.test", databaseName, json.database(database), clock.instant()));
    }
}
