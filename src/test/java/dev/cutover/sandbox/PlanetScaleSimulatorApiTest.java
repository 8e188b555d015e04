package dev.cutover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.Actor;
import dev.cutover.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlanetScaleSimulatorApiTest {
    private static final Actor ALICE = new Actor("alice-ng", "Alice Ng");

    private final FakeClock clock = new FakeClock();
    private PlanetScaleSimulator simulator;
    private SandboxClient client;

    @BeforeEach
    void start() {
        simulator = new PlanetScaleSimulator(clock, "acme", null, "secret", Runnable::run);
        simulator.start();
        simulator.seedDemo();
        client = new SandboxClient(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void baseUrl_isLoopbackWithV1() {
        assertThat(simulator.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v1");
    }

    @Test
    void missingAuthorization_isNotFoundLikePlanetScale() throws Exception {
        SandboxClient.Reply reply = client.getWithAuthorization("/organizations/acme/databases", null);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.text()).isEqualTo("{\"code\":\"not_found\",\"message\":\"Not Found\"}");
    }

    @Test
    void bearerAuthorization_withoutColon_isNotFound() throws Exception {
        SandboxClient.Reply reply = client.getWithAuthorization("/organizations/acme/databases", "Bearer abc");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void authorizationWithEmptyToken_isNotFound() throws Exception {
        SandboxClient.Reply reply = client.getWithAuthorization("/organizations/acme/databases", "token-id:");

        assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void organizations_listsTheOneOrganization() throws Exception {
        SandboxClient.Reply reply = client.getWithAuthorization("/organizations", SandboxClient.AUTHORIZATION);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("type").asText()).isEqualTo("list");
        assertThat(reply.json().path("data")).hasSize(1);
        assertThat(reply.json().path("data").get(0).path("name").asText()).isEqualTo("acme");
    }

    @Test
    void unknownOrganization_isNotFound() throws Exception {
        SandboxClient.Reply reply = client.getWithAuthorization("/organizations/other/databases",
                SandboxClient.AUTHORIZATION);

        assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void databases_listDemoDatabasesWithApprovalSetting() throws Exception {
        JsonNode list = client.get("/databases").json();

        assertThat(list.path("data")).extracting(d -> d.path("name").asText()).containsExactly("shop", "analytics");
        assertThat(list.path("data").get(0).path("require_approval_for_deploy").asBoolean()).isTrue();
        assertThat(list.path("next_page").isNull()).isTrue();
    }

    @Test
    void database_showsRequireApprovalForDeploy() throws Exception {
        JsonNode shop = client.get("/databases/analytics").json();

        assertThat(shop.path("type").asText()).isEqualTo("Database");
        assertThat(shop.path("require_approval_for_deploy").isBoolean()).isTrue();
        assertThat(shop.path("require_approval_for_deploy").asBoolean()).isFalse();
        assertThat(shop.path("html_url").asText()).isEqualTo(simulator.pagesUrl() + "/acme/analytics");
    }

    @Test
    void unknownDatabase_isNotFound() throws Exception {
        SandboxClient.Reply reply = client.get("/databases/nope/deploy-requests");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("message").asText()).isEqualTo("Not Found");
    }

    @Test
    void unknownDeployRequest_isNotFound() throws Exception {
        SandboxClient.Reply reply = client.get("/databases/shop/deploy-requests/99");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void deployRequest_hasEveryReferenceFieldInSnakeCase() throws Exception {
        JsonNode request = client.get("/databases/shop/deploy-requests/2").json();

        assertThat(fieldNames(request)).contains("id", "type", "number", "actor", "closed_by", "branch", "branch_id",
                "branch_deleted", "branch_deleted_by", "branch_deleted_at", "into_branch", "into_branch_sharded",
                "into_branch_shard_count", "into_branch_keyspace_count", "approved", "state", "deployment_state",
                "deployment", "num_comments", "html_url", "notes", "html_body", "created_at", "updated_at",
                "closed_at", "deployed_at");
        assertThat(request.path("type").asText()).isEqualTo("DeployRequest");
        assertThat(request.path("html_url").asText()).isEqualTo(simulator.pagesUrl() + "/acme/shop/deploy-requests/2");
        assertThat(request.path("actor").path("display_name").asText()).isEqualTo("Alice Ng");
        assertThat(request.path("actor").path("type").asText()).isEqualTo("User");
        assertThat(request.path("created_at").asText()).isEqualTo("2026-11-21T12:00:00.000Z");
        assertThat(request.path("id").asText()).matches("[a-z0-9]{12}");
    }

    @Test
    void deployment_hasEveryReferenceField() throws Exception {
        JsonNode deployment = client.get("/databases/shop/deploy-requests/2/deployment").json();

        assertThat(fieldNames(deployment)).contains("id", "type", "state", "deployable", "deploy_check_errors",
                "lint_errors", "instant_ddl_eligible", "instant_ddl", "auto_cutover", "auto_delete_branch",
                "deploy_request_number", "into_branch", "preceding_deployments", "deploy_operations",
                "deploy_operation_summaries", "deployment_revert_request", "actor", "cutover_actor",
                "cancelled_actor", "created_at", "updated_at", "queued_at", "submitted_at", "started_at",
                "ready_to_cutover_at", "cutover_at", "finished_at", "force_cutover_requested_at",
                "schema_last_updated_at", "cutover_expiring", "table_locked", "locked_table_name", "queue_paused",
                "queue_pause_reason");
        assertThat(deployment.path("type").asText()).isEqualTo("Deployment");
        assertThat(deployment.path("deployable").asBoolean()).isTrue();
        assertThat(deployment.path("auto_cutover").asBoolean()).isFalse();
        JsonNode operation = deployment.path("deploy_operations").get(0);
        assertThat(operation.path("type").asText()).isEqualTo("DeployOperation");
        assertThat(operation.path("table_name").asText()).isEqualTo("orders");
        assertThat(operation.path("operation_name").asText()).isEqualTo("ALTER");
        assertThat(operation.path("progress_percentage").isNull()).isTrue();
    }

    @Test
    void erroredDemoRequest_carriesLintErrorWithDescription() throws Exception {
        JsonNode request = client.get("/databases/analytics/deploy-requests/2").json();

        assertThat(request.path("deployment_state").asText()).isEqualTo("error");
        JsonNode lint = request.path("deployment").path("lint_errors").get(0);
        assertThat(lint.path("type").asText()).isEqualTo("DeploymentLintError");
        assertThat(lint.path("lint_error").asText()).isEqualTo("NO_UNIQUE_KEY");
        assertThat(lint.path("error_description").asText()).contains("no unique key");
        assertThat(request.path("deployment").path("deployable").asBoolean()).isFalse();
    }

    @Test
    void completedDemoRequest_isClosedAndComplete() throws Exception {
        JsonNode request = client.get("/databases/shop/deploy-requests/1").json();

        assertThat(request.path("state").asText()).isEqualTo("closed");
        assertThat(request.path("deployment_state").asText()).isEqualTo("complete");
        assertThat(request.path("deployed_at").isNull()).isFalse();
    }

    @Test
    void listDeployRequests_pagesWithNextPageAndTotals() throws Exception {
        simulator.setDatabase("big", false);
        for (int i = 0; i < 30; i++) {
            simulator.createDeployRequest("big", "branch-" + i, "main", ALICE, true, false,
                    List.of("ALTER TABLE `t" + i + "` ADD COLUMN `c` int"));
        }

        JsonNode first = client.get("/databases/big/deploy-requests?per_page=20").json();
        JsonNode second = client.get("/databases/big/deploy-requests?per_page=20&page=2").json();

        assertThat(first.path("data")).hasSize(20);
        assertThat(first.path("current_page").asInt()).isEqualTo(1);
        assertThat(first.path("next_page").asInt()).isEqualTo(2);
        assertThat(first.path("next_page_url").asText()).endsWith("/v1/organizations/acme/databases/big/deploy-requests?per_page=20&page=2");
        assertThat(first.path("prev_page").isNull()).isTrue();
        assertThat(first.path("total_count").asInt()).isEqualTo(30);
        assertThat(first.path("total_pages").asInt()).isEqualTo(2);
        assertThat(second.path("data")).hasSize(10);
        assertThat(second.path("next_page").isNull()).isTrue();
        assertThat(second.path("next_page_url").isNull()).isTrue();
        assertThat(second.path("prev_page").asInt()).isEqualTo(1);
    }

    @Test
    void listDeployRequests_newestFirst() throws Exception {
        JsonNode list = client.get("/databases/shop/deploy-requests").json();

        assertThat(list.path("data")).extracting(d -> d.path("number").asInt()).containsExactly(4, 3, 2, 1);
    }

    @Test
    void listDeployRequests_capsPerPageAt100() throws Exception {
        simulator.setDatabase("big", false);
        for (int i = 0; i < 105; i++) {
            simulator.createDeployRequest("big", "branch-" + i, "main", ALICE, true, false,
                    List.of("ALTER TABLE `t` ADD COLUMN `c" + i + "` int"));
        }

        JsonNode page = client.get("/databases/big/deploy-requests?per_page=500").json();

        assertThat(page.path("per_page").asInt()).isEqualTo(100);
        assertThat(page.path("data")).hasSize(100);
        assertThat(page.path("next_page").asInt()).isEqualTo(2);
    }

    @Test
    void listDeployRequests_filtersByStateBranchAndIntoBranch() throws Exception {
        JsonNode open = client.get("/databases/shop/deploy-requests?state=open").json();
        JsonNode closed = client.get("/databases/shop/deploy-requests?state=closed").json();
        JsonNode byBranch = client.get("/databases/shop/deploy-requests?branch=product-badges&into_branch=main").json();
        JsonNode otherTarget = client.get("/databases/shop/deploy-requests?into_branch=staging").json();

        assertThat(open.path("data")).extracting(d -> d.path("number").asInt()).containsExactly(4, 3, 2);
        assertThat(closed.path("data")).extracting(d -> d.path("number").asInt()).containsExactly(1);
        assertThat(byBranch.path("data")).extracting(d -> d.path("number").asInt()).containsExactly(3);
        assertThat(otherTarget.path("data")).isEmpty();
    }

    @Test
    void approveReview_isCreatedAndListed() throws Exception {
        SandboxClient.Reply created = client.post("/databases/shop/deploy-requests/2/reviews",
                "{\"state\":\"approved\",\"body\":\"\"}");
        JsonNode reviews = client.get("/databases/shop/deploy-requests/2/reviews").json();
        JsonNode request = client.get("/databases/shop/deploy-requests/2").json();

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("type").asText()).isEqualTo("DeployRequestReview");
        assertThat(created.json().path("state").asText()).isEqualTo("approved");
        assertThat(created.json().path("actor").path("id").asText()).isEqualTo("token-id");
        assertThat(reviews.path("data")).hasSize(1);
        assertThat(request.path("approved").asBoolean()).isTrue();
    }

    @Test
    void approvingOwnDeployRequest_whenApprovalRequired_isRefused() throws Exception {
        int number = simulator.createDeployRequest("shop", "mine", "main", new Actor("token-id", "Cutover"), true,
                false, List.of("ALTER TABLE `orders` ADD COLUMN `x` int"));

        SandboxClient.Reply reply = client.post("/databases/shop/deploy-requests/" + number + "/reviews",
                "{\"state\":\"approved\",\"body\":\"\"}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("code").asText()).isEqualTo("unprocessable");
        assertThat(reply.json().path("message").asText())
                .isEqualTo("Deploy request authors cannot approve their own deploy requests.");
    }

    @Test
    void comment_countsInNumComments() throws Exception {
        client.post("/databases/shop/deploy-requests/2/reviews", "{\"state\":\"commented\",\"body\":\"LGTM\"}");

        JsonNode request = client.get("/databases/shop/deploy-requests/2").json();

        assertThat(request.path("num_comments").asInt()).isEqualTo(1);
        assertThat(request.path("approved").asBoolean()).isFalse();
    }

    @Test
    void unknownActionPath_isNotFound() throws Exception {
        SandboxClient.Reply reply = client.post("/databases/shop/deploy-requests/2/merge", "{}");

        assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void invalidJsonBody_isBadRequest() throws Exception {
        SandboxClient.Reply reply = client.post("/databases/shop/deploy-requests/3/deploy", "{not json");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("bad_request");
    }

    @Test
    void requests_recordsMethodPathQueryAndBody() throws Exception {
        client.get("/databases/shop/deploy-requests?state=open");
        client.post("/databases/shop/deploy-requests/3/deploy", "{\"instant_ddl\":false}");

        assertThat(simulator.requests()).containsExactly(
                new ReceivedRequest("GET", "/v1/organizations/acme/databases/shop/deploy-requests", "state=open", ""),
                new ReceivedRequest("POST", "/v1/organizations/acme/databases/shop/deploy-requests/3/deploy", "",
                        "{\"instant_ddl\":false}"));
    }

    @Test
    void failNext_answersOnceWithTheCannedFailure() throws Exception {
        simulator.failNext(503, "{}");

        SandboxClient.Reply failed = client.get("/databases/shop");
        SandboxClient.Reply next = client.get("/databases/shop");

        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.text()).isEqualTo("{}");
        assertThat(next.status()).isEqualTo(200);
    }

    @Test
    void failNext_canAnswerWithNonJson() throws Exception {
        simulator.failNext(403, "<html>forbidden</html>");

        SandboxClient.Reply failed = client.get("/databases/shop");

        assertThat(failed.status()).isEqualTo(403);
        assertThat(failed.text()).isEqualTo("<html>forbidden</html>");
    }

    @Test
    void clearFailures_dropsQueuedFailures() throws Exception {
        simulator.failNext(500, "{}");
        simulator.clearFailures();

        assertThat(client.get("/databases/shop").status()).isEqualTo(200);
    }

    @Test
    void respondSlowly_holdsAnswersBackUntilCleared() throws Exception {
        simulator.respondSlowly(Duration.ofMillis(300));

        long slowStart = System.nanoTime();
        client.get("/databases/shop");
        long slowMillis = (System.nanoTime() - slowStart) / 1_000_000;
        simulator.clearFailures();
        long fastStart = System.nanoTime();
        client.get("/databases/shop");
        long fastMillis = (System.nanoTime() - fastStart) / 1_000_000;

        assertThat(slowMillis).isGreaterThanOrEqualTo(300);
        assertThat(fastMillis).isLessThan(300);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
