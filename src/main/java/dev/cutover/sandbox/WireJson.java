package dev.cutover.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.LintError;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

/**
 * Renders the simulator's state as PlanetScale's JSON objects (planetscale-api.md §4): snake_case, every
 * listed field present (null where PlanetScale sends null), a {@code type} on each object and timestamps in
 * UTC with milliseconds. Called under the organization's lock.
 */
final class WireJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String org;
    private final Supplier<String> baseUrl;

    WireJson(String org, Supplier<String> baseUrl) {
        this.org = org;
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl.get();
    }

    private String pagesUrl() {
        String api = baseUrl.get();
        return api.endsWith("/v1") ? api.substring(0, api.length() - "/v1".length()) : api;
    }

    static String timestamp(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(instant);
    }

    ObjectNode organization(String id, Instant createdAt, int databaseCount) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", id);
        node.put("type", "Organization");
        node.put("name", org);
        node.put("plan", "scaler_pro");
        node.put("database_count", databaseCount);
        node.put("sso", false);
        node.put("created_at", timestamp(createdAt));
        node.put("updated_at", timestamp(createdAt));
        return node;
    }

    /** The {@code DatabaseWebhook} object (planetscale-api.md §7.1). */
    ObjectNode webhook(SimulatedWebhook webhook) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", webhook.id);
        node.put("type", "DatabaseWebhook");
        node.put("url", webhook.url);
        node.put("secret", webhook.secret);
        node.put("enabled", webhook.enabled);
        node.put("last_sent_result", webhook.lastSentResult);
        if (webhook.lastSentSuccess == null) {
            node.putNull("last_sent_success");
        } else {
            node.put("last_sent_success", webhook.lastSentSuccess);
        }
        node.put("last_sent_at", timestamp(webhook.lastSentAt));
        webhook.events.forEach(node.putArray("events")::add);
        node.put("created_at", timestamp(webhook.createdAt));
        node.put("updated_at", timestamp(webhook.updatedAt));
        return node;
    }

    ObjectNode database(SimulatedDatabase database) {
        String apiUrl = baseUrl.get() + "/organizations/" + org + "/databases/" + database.name;
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", database.id);
        node.put("type", "Database");
        node.put("name", database.name);
        node.put("state", "ready");
        node.put("ready", true);
        node.put("kind", "mysql");
        node.put("plan", "scaler_pro");
        ObjectNode region = node.putObject("region");
        region.put("slug", "us-east");
        region.put("display_name", "AWS us-east-1");
        node.put("default_branch", "main");
        node.put("require_approval_for_deploy", database.requireApprovalForDeploy);
        node.put("html_url", pagesUrl() + "/" + org + "/" + database.name);
        node.put("url", apiUrl);
        node.put("branches_url", apiUrl + "/branches");
        node.put("created_at", timestamp(database.createdAt));
        node.put("updated_at", timestamp(database.updatedAt));
        return node;
    }

    /** Exactly the body of {@code GET …/deploy-requests/{number}}, also the {@code resource} of its webhooks. */
    ObjectNode deployRequest(SimulatedDeployRequest request, List<SimulatedDeployRequest> ahead) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", request.id);
        node.put("type", "DeployRequest");
        node.put("number", request.number);
        node.set("actor", actor(request.author));
        node.set("closed_by", actor(request.closedBy));
        node.put("branch", request.branch);
        node.put("branch_id", request.branchId);
        node.put("branch_deleted", false);
        node.putNull("branch_deleted_by");
        node.putNull("branch_deleted_at");
        node.put("into_branch", request.intoBranch);
        node.put("into_branch_sharded", false);
        node.put("into_branch_shard_count", 0);
        node.put("into_branch_keyspace_count", 1);
        node.put("approved", request.approved);
        node.put("state", request.open ? "open" : "closed");
        node.put("deployment_state", request.deploymentState.wire());
        node.set("deployment", deployment(request, ahead));
        node.put("num_comments", request.numComments);
        // PlanetScale's path on the sandbox's own read-only page (DeployRequestPage), not a 404 on planetscale.com.
        node.put("html_url", pagesUrl() + "/" + org + "/" + request.database.name + "/deploy-requests/"
                + request.number);
        node.put("notes", request.notes);
        node.put("html_body", request.notes.isEmpty() ? "" : "<p>" + escapeHtml(request.notes) + "</p>");
        node.put("created_at", timestamp(request.createdAt));
        node.put("updated_at", timestamp(request.updatedAt));
        node.put("closed_at", timestamp(request.closedAt));
        node.put("deployed_at", timestamp(request.deployedAt));
        return node;
    }

    /** {@code DR.deployment}, {@code GET …/deployment} and each deploy-queue entry. */
    ObjectNode deployment(SimulatedDeployRequest request, List<SimulatedDeployRequest> ahead) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", request.deploymentId);
        node.put("type", "Deployment");
        node.put("state", request.deploymentState.wire());
        node.put("deployable", request.isDeployable());
        node.put("deploy_check_errors", request.deploymentState == DeploymentState.ERROR
                ? "Deploy request has " + request.lintErrors.size() + " schema lint error(s)" : null);
        ArrayNode lintErrors = node.putArray("lint_errors");
        request.lintErrors.forEach(error -> lintErrors.add(lintError(error)));
        node.put("instant_ddl_eligible", request.instantEligible);
        node.put("instant_ddl", request.instantDdl);
        node.put("auto_cutover", request.autoCutover);
        node.put("auto_delete_branch", false);
        node.put("deploy_request_number", request.number);
        node.put("into_branch", request.intoBranch);
        ArrayNode preceding = node.putArray("preceding_deployments");
        ahead.forEach(other -> preceding.add(precedingDeployment(other)));
        ArrayNode operations = node.putArray("deploy_operations");
        request.operations.forEach(operation -> operations.add(operation(operation)));
        ArrayNode summaries = node.putArray("deploy_operation_summaries");
        request.operations.forEach(operation -> summaries.add(operationSummary(operation)));
        node.set("deployment_revert_request", revert(request));
        node.putArray("sequential_diff_dependencies");
        node.putArray("lookup_vindex_operations");
        node.putNull("throttler_configurations");
        node.set("actor", actor(request.deployer));
        node.set("cutover_actor", actor(request.cutoverActor));
        node.set("cancelled_actor", actor(request.cancelledActor));
        node.put("created_at", timestamp(request.createdAt));
        node.put("updated_at", timestamp(request.updatedAt));
        node.put("queued_at", timestamp(request.queuedAt));
        node.put("submitted_at", timestamp(request.startedAt));
        node.put("started_at", timestamp(request.startedAt));
        node.put("ready_to_cutover_at", timestamp(request.readyToCutoverAt));
        node.put("cutover_at", timestamp(request.cutoverAt));
        node.put("finished_at", timestamp(request.finishedAt));
        node.put("force_cutover_requested_at", timestamp(request.forceCutoverRequestedAt));
        node.put("schema_last_updated_at", timestamp(request.createdAt));
        node.put("cutover_expiring", false);
        node.put("table_locked", false);
        node.putNull("locked_table_name");
        node.put("queue_paused", false);
        node.putNull("queue_pause_reason");
        node.put("strategy", "serial");
        node.put("parallel_lane_blocked", false);
        return node;
    }

    ObjectNode operation(SimulatedOperation operation) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", operation.id);
        node.put("type", "DeployOperation");
        node.put("state", operation.state);
        node.put("keyspace_name", operation.keyspace);
        node.put("table_name", operation.table);
        node.put("operation_name", operation.operationName);
        node.put("ddl_statement", operation.ddl);
        node.put("syntax_highlighted_ddl", highlighted(operation.ddl));
        node.put("progress_percentage", operation.progressPercentage);
        node.put("eta_seconds", operation.etaSeconds);
        node.put("can_drop_data", operation.canDropData);
        // The sandbox's tables are all in use: what can drop data was recently queried too.
        node.put("table_recently_used", operation.canDropData);
        node.putNull("table_recently_used_at");
        node.put("table_locked", false);
        node.putArray("removed_foreign_key_names");
        node.put("deploy_errors", operation.deployErrors);
        node.putNull("deploy_error_docs_url");
        node.putNull("throttled_at");
        node.put("created_at", timestamp(operation.createdAt));
        node.put("updated_at", timestamp(operation.updatedAt));
        return node;
    }

    ObjectNode review(SimulatedDeployRequest.SimulatedReview review) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", review.id());
        node.put("type", "DeployRequestReview");
        node.put("body", review.body());
        node.put("html_body", review.body().isEmpty() ? "" : "<p>" + escapeHtml(review.body()) + "</p>");
        node.put("state", review.state());
        node.set("actor", actor(review.actor()));
        node.put("created_at", timestamp(review.createdAt()));
        node.put("updated_at", timestamp(review.createdAt()));
        return node;
    }

    private ObjectNode operationSummary(SimulatedOperation operation) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", operation.id);
        node.put("created_at", timestamp(operation.createdAt));
        node.put("deploy_errors", operation.deployErrors);
        node.put("ddl_statement", operation.ddl);
        node.put("eta_seconds", operation.etaSeconds);
        node.put("keyspace_name", operation.keyspace);
        node.put("operation_name", operation.operationName);
        node.put("progress_percentage", operation.progressPercentage);
        // The summary enum has no "queued"; a queued operation is still pending there.
        node.put("state", "queued".equals(operation.state) ? "pending" : operation.state);
        node.put("syntax_highlighted_ddl", highlighted(operation.ddl));
        node.put("table_name", operation.table);
        // The sandbox's tables are all in use: what can drop data was recently queried too.
        node.put("table_recently_used", operation.canDropData);
        node.putNull("table_recently_used_at");
        node.putNull("throttled_at");
        node.putArray("removed_foreign_key_names");
        node.put("shard_count", 1);
        node.putArray("shard_names").add("-");
        node.put("can_drop_data", operation.canDropData);
        node.put("sharded", false);
        ObjectNode shard = node.putArray("operations").addObject();
        shard.put("id", operation.shardOperationId);
        shard.put("shard", "-");
        shard.put("state", "queued".equals(operation.state) ? "pending" : operation.state);
        shard.put("progress_percentage", operation.progressPercentage);
        shard.put("eta_seconds", operation.etaSeconds);
        return node;
    }

    /** Exists from queueing on with a null window end; absent for instant deploys, which cannot be reverted. */
    private ObjectNode revert(SimulatedDeployRequest request) {
        if (request.deployer == null || request.instantDdl) {
            return null;
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", request.revertId);
        node.put("type", "DeploymentRevert");
        node.set("actor", actor(request.revertActor != null ? request.revertActor : request.deployer));
        node.put("waiting_period_end_at", timestamp(request.revertWindowEndsAt));
        node.put("finished_at", timestamp(request.revertFinishedAt));
        node.put("cancelled_at", timestamp(request.revertCancelledAt));
        ArrayNode operations = node.putArray("deploy_revert_operations");
        for (SimulatedOperation operation : request.operations) {
            if (operation.revertState == null) {
                continue;
            }
            ObjectNode revertOperation = operations.addObject();
            revertOperation.put("id", operation.shardOperationId);
            revertOperation.put("type", "DeployRevertOperation");
            revertOperation.put("ddl_statement", operation.ddl);
            revertOperation.put("operation_name", operation.operationName);
            revertOperation.put("state", operation.revertState);
            revertOperation.put("table_name", operation.table);
            revertOperation.put("created_at", timestamp(request.revertUpdatedAt));
            revertOperation.put("updated_at", timestamp(request.revertUpdatedAt));
            revertOperation.putNull("revert_errors");
        }
        node.put("created_at", timestamp(request.queuedAt));
        node.put("updated_at", timestamp(request.revertUpdatedAt));
        return node;
    }

    private ObjectNode precedingDeployment(SimulatedDeployRequest request) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", request.deploymentId);
        node.put("state", request.deploymentState.wire());
        node.put("deploy_request_number", request.number);
        node.put("into_branch", request.intoBranch);
        node.set("actor", actor(request.deployer));
        node.put("created_at", timestamp(request.createdAt));
        node.put("updated_at", timestamp(request.updatedAt));
        node.put("started_at", timestamp(request.startedAt));
        node.put("queued_at", timestamp(request.queuedAt));
        node.put("finished_at", timestamp(request.finishedAt));
        return node;
    }

    private static ObjectNode lintError(LintError error) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "DeploymentLintError");
        node.put("lint_error", error.code());
        node.put("subject_type", "table_error");
        node.put("keyspace_name", error.keyspace());
        node.put("table_name", error.table());
        node.put("error_description", error.description());
        node.put("docs_url", error.docsUrl());
        node.put("statement", "");
        node.put("column_name", "");
        node.putArray("foreign_key_column_names");
        node.putArray("auto_increment_column_names");
        node.put("charset_name", "");
        node.put("engine_name", "");
        node.putNull("vindex_name");
        node.putNull("json_path");
        node.put("schema_identifier", "SOURCE");
        node.putNull("conflict_columns");
        node.putNull("conflict_indexes");
        node.putNull("conflict_constraints");
        node.putNull("conflict_partitions");
        node.put("conflict_error", "CONFLICT_UNSPECIFIED");
        node.put("conflict_ddl_verb", "DDL_VERB_UNSPECIFIED");
        node.put("check_constraint_name", "");
        node.put("enum_value", "");
        node.put("partitioning_type", "");
        node.put("partition_name", "");
        node.put("view_name", "");
        node.putNull("boost_query");
        return node;
    }

    private static ObjectNode actor(Principal principal) {
        if (principal == null) {
            return null;
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", principal.id());
        node.put("type", principal.type());
        node.put("display_name", principal.displayName());
        node.put("avatar_url", principal.avatarUrl());
        return node;
    }

    private static String highlighted(String ddl) {
        return "<div class=\"line\"><span class=\"sql\">" + escapeHtml(ddl) + "</span></div>";
    }

    static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
