package dev.cutover.planetscale;

import static dev.cutover.planetscale.LoopbackApi.AUTHORIZATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.Database;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.Deployment;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.Review;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every endpoint's method, path, query, headers and body, against a loopback server. */
@Timeout(10)
class HttpPlanetScaleApiTest {
    private static final DeployRef REF = new DeployRef("acme", "shop", 42);
    private static final String DEPLOY_REQUEST_PATH = "/v1/organizations/acme/databases/shop/deploy-requests/42";

    private final MockWebServer server = new MockWebServer();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private HttpPlanetScaleApi api;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        api = LoopbackApi.create(server, sleeper);
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void getDeployRequest_getsTheRequestByNumber() throws Exception {
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        DeployRequest request = api.getDeployRequest(REF);

        RecordedRequest recorded = take();
        assertThat(recorded.getMethod()).isEqualTo("GET");
        assertThat(recorded.getPath()).isEqualTo(DEPLOY_REQUEST_PATH);
        assertThat(recorded.getBodySize()).isZero();
        assertThat(recorded.getHeader("Content-Type")).isNull();
        assertThat(request.ref()).isEqualTo(REF);
        assertThat(request.deploymentState()).isEqualTo(DeploymentState.COMPLETE_PENDING_REVERT);
    }

    @Test
    void everyRequest_carriesTheServiceTokenWithoutASchemeWord() throws Exception {
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        api.getDeployRequest(REF);

        RecordedRequest recorded = take();
        assertThat(recorded.getHeader("Authorization")).isEqualTo(AUTHORIZATION);
        assertThat(recorded.getHeader("Accept")).isEqualTo("application/json");
    }

    @Test
    void everyRequest_namesCutoverAndItsVersionAsUserAgent() throws Exception {
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        api.getDeployRequest(REF);

        assertThat(take().getHeader("User-Agent")).isEqualTo("cutover/1.4.2");
    }

    @Test
    void approve_postsAnApprovedReview() throws Exception {
        server.enqueue(json(Fixtures.text("review.json")).setResponseCode(201));

        Review review = api.approve(REF, "Approved by @grace in Slack");

        RecordedRequest recorded = take();
        assertWrite(recorded, "POST", DEPLOY_REQUEST_PATH + "/reviews");
        assertThat(body(recorded)).isEqualTo(tree("{\"state\":\"approved\",\"body\":\"Approved by @grace in Slack\"}"));
        assertThat(review.kind()).isEqualTo(Review.Kind.APPROVED);
        assertThat(review.actor()).isEqualTo(new Actor("m2n3b4v5c6x7", "cutover-bot"));
    }

    @Test
    void approve_withoutBody_sendsAnEmptyBodyField() throws Exception {
        server.enqueue(json(Fixtures.text("review.json")).setResponseCode(201));

        api.approve(REF, null);

        assertThat(body(take())).isEqualTo(tree("{\"state\":\"approved\",\"body\":\"\"}"));
    }

    @Test
    void comment_postsACommentedReview() throws Exception {
        server.enqueue(json(Fixtures.json("review.json").put("state", "commented").toString()).setResponseCode(201));

        Review review = api.comment(REF, "Looks risky: drops legacy_carts");

        RecordedRequest recorded = take();
        assertWrite(recorded, "POST", DEPLOY_REQUEST_PATH + "/reviews");
        assertThat(body(recorded))
                .isEqualTo(tree("{\"state\":\"commented\",\"body\":\"Looks risky: drops legacy_carts\"}"));
        assertThat(review.kind()).isEqualTo(Review.Kind.COMMENTED);
    }

    @Test
    void listReviews_getsThePagedReviews() throws Exception {
        server.enqueue(json(Fixtures.page(null, Fixtures.json("review.json"))));

        List<Review> reviews = api.listReviews(REF);

        RecordedRequest recorded = take();
        assertThat(recorded.getMethod()).isEqualTo("GET");
        assertThat(recorded.getPath()).isEqualTo(DEPLOY_REQUEST_PATH + "/reviews?page=1&per_page=100");
        assertThat(reviews).extracting(Review::body).containsExactly("Approved by @grace in Slack");
    }

    @Test
    void deploy_queuesWithoutInstantDdl() throws Exception {
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        api.deploy(REF, false);

        RecordedRequest recorded = take();
        assertWrite(recorded, "POST", DEPLOY_REQUEST_PATH + "/deploy");
        assertThat(body(recorded)).isEqualTo(tree("{\"instant_ddl\":false}"));
    }

    @Test
    void deploy_instant_sendsInstantDdlTrue() throws Exception {
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        api.deploy(REF, true);

        assertThat(body(take())).isEqualTo(tree("{\"instant_ddl\":true}"));
    }

    @Test
    void close_patchesTheRequestToClosed() throws Exception {
        server.enqueue(json(Fixtures.json("deploy-request.json").put("state", "closed").toString()));

        DeployRequest closed = api.close(REF);

        RecordedRequest recorded = take();
        assertWrite(recorded, "PATCH", DEPLOY_REQUEST_PATH);
        assertThat(body(recorded)).isEqualTo(tree("{\"state\":\"closed\"}"));
        assertThat(closed.isOpen()).isFalse();
    }

    interface Action {
        DeployRequest call(PlanetScaleApi api, DeployRef ref) throws Exception;
    }

    static Stream<Arguments> actionsWithoutFields() {
        return Stream.of(
                Arguments.of("apply-deploy", (Action) PlanetScaleApi::applyDeploy),
                Arguments.of("cancel", (Action) PlanetScaleApi::cancel),
                Arguments.of("revert", (Action) PlanetScaleApi::revert),
                Arguments.of("skip-revert", (Action) PlanetScaleApi::skipRevert),
                Arguments.of("complete-deploy", (Action) PlanetScaleApi::completeErroredDeploy));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actionsWithoutFields")
    void actionWithoutFields_postsAnEmptyObjectToItsPath(String path, Action action) throws Exception {
        server.enqueue(json(Fixtures.text("deploy-request.json")));

        DeployRequest request = action.call(api, REF);

        RecordedRequest recorded = take();
        assertWrite(recorded, "POST", DEPLOY_REQUEST_PATH + "/" + path);
        assertThat(recorded.getBody().readUtf8()).isEqualTo("{}");
        assertThat(request.ref()).isEqualTo(REF);
    }

    @Test
    void deployQueue_getsDeploymentsInOrder() throws Exception {
        server.enqueue(json(Fixtures.page(null, Fixtures.json("deployment.json"))));

        List<Deployment> queue = api.deployQueue("shop");

        RecordedRequest recorded = take();
        assertThat(recorded.getMethod()).isEqualTo("GET");
        assertThat(recorded.getPath())
                .isEqualTo("/v1/organizations/acme/databases/shop/deploy-queue?page=1&per_page=100");
        assertThat(queue).singleElement().satisfies(deployment -> {
            assertThat(deployment.deployRequestNumber()).isEqualTo(43);
            assertThat(deployment.state()).isEqualTo(DeploymentState.QUEUED);
            assertThat(deployment.queuePaused()).isTrue();
            assertThat(deployment.queuePauseReason()).isEqualTo("A deployment is waiting in its revert window");
            assertThat(deployment.revertWindow()).isNull();
        });
    }

    @Test
    void listOperations_getsOperationsWithNullProgressBeforeStart() throws Exception {
        server.enqueue(json(Fixtures.page(null, Fixtures.json("deploy-operation.json"))));

        List<DeployOperation> operations = api.listOperations(REF);

        RecordedRequest recorded = take();
        assertThat(recorded.getMethod()).isEqualTo("GET");
        assertThat(recorded.getPath()).isEqualTo(DEPLOY_REQUEST_PATH + "/operations?page=1&per_page=100");
        assertThat(operations).singleElement().satisfies(operation -> {
            assertThat(operation.table()).isEqualTo("orders");
            assertThat(operation.progressPercentage()).isNull();
            assertThat(operation.etaSeconds()).isNull();
        });
    }

    @Test
    void getDatabase_readsTheApprovalSetting() throws Exception {
        server.enqueue(json(Fixtures.text("database.json")));

        Database database = api.getDatabase("shop");

        RecordedRequest recorded = take();
        assertThat(recorded.getMethod()).isEqualTo("GET");
        assertThat(recorded.getPath()).isEqualTo("/v1/organizations/acme/databases/shop");
        assertThat(database).isEqualTo(new Database("shop", "https://app.planetscale.com/acme/shop", true, "ready"));
    }

    @Test
    void listDatabases_readsEveryPage() throws Exception {
        server.enqueue(json(Fixtures.page(2, Fixtures.named("shop"))));
        server.enqueue(json(Fixtures.page(3, Fixtures.named("billing"))));
        server.enqueue(json(Fixtures.page(null, Fixtures.named("search"))));

        List<Database> databases = api.listDatabases();

        assertThat(databases).extracting(Database::name).containsExactly("shop", "billing", "search");
        assertThat(take().getPath()).isEqualTo("/v1/organizations/acme/databases?page=1&per_page=100");
        assertThat(take().getPath()).isEqualTo("/v1/organizations/acme/databases?page=2&per_page=100");
        assertThat(take().getPath()).isEqualTo("/v1/organizations/acme/databases?page=3&per_page=100");
    }

    @Test
    void listDeployRequests_sendsTheFilterAsQuery() throws Exception {
        server.enqueue(json(Fixtures.page(null)));

        api.listDeployRequests("shop", new DeployRequestFilter("open", "feature/orders", "main"), 10);

        RecordedRequest recorded = take();
        assertThat(recorded.getMethod()).isEqualTo("GET");
        assertThat(recorded.getRequestUrl().encodedPath())
                .isEqualTo("/v1/organizations/acme/databases/shop/deploy-requests");
        assertThat(recorded.getRequestUrl().queryParameter("state")).isEqualTo("open");
        assertThat(recorded.getRequestUrl().queryParameter("branch")).isEqualTo("feature/orders");
        assertThat(recorded.getRequestUrl().queryParameter("into_branch")).isEqualTo("main");
        assertThat(recorded.getRequestUrl().queryParameter("page")).isEqualTo("1");
        assertThat(recorded.getRequestUrl().queryParameter("per_page")).isEqualTo("100");
    }

    @Test
    void listDeployRequests_withoutFilter_sendsOnlyPaging() throws Exception {
        server.enqueue(json(Fixtures.page(null)));

        api.listDeployRequests("shop", DeployRequestFilter.ALL, 10);

        assertThat(take().getPath())
                .isEqualTo("/v1/organizations/acme/databases/shop/deploy-requests?page=1&per_page=100");
    }

    @Test
    void listDeployRequests_followsNextPageOnItsOwnServer() throws Exception {
        server.enqueue(json(Fixtures.text("deploy-requests-page-1.json")));
        server.enqueue(json(Fixtures.text("deploy-requests-page-2.json")));

        List<DeployRequest> requests = api.listDeployRequests("shop", DeployRequestFilter.ALL, 50);

        assertThat(requests).extracting(r -> r.ref().number()).containsExactly(3, 2, 1);
        assertThat(requests).extracting(DeployRequest::deploymentState)
                .containsExactly(DeploymentState.READY, DeploymentState.QUEUED, DeploymentState.COMPLETE);
        assertThat(take().getRequestUrl().queryParameter("page")).isEqualTo("1");
        RecordedRequest second = take();
        assertThat(second.getPath())
                .isEqualTo("/v1/organizations/acme/databases/shop/deploy-requests?page=2&per_page=100");
        assertThat(second.getHeader("Authorization")).isEqualTo(AUTHORIZATION);
    }

    @Test
    void listDeployRequests_stopsAtTheLimitWithoutFetchingMorePages() throws Exception {
        server.enqueue(json(Fixtures.text("deploy-requests-page-1.json")));
        server.enqueue(json(Fixtures.text("deploy-requests-page-2.json")));

        List<DeployRequest> requests = api.listDeployRequests("shop", DeployRequestFilter.ALL, 2);

        assertThat(requests).extracting(r -> r.ref().number()).containsExactly(3, 2);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void listDeployRequests_cutsAPageAtTheLimit() throws Exception {
        server.enqueue(json(Fixtures.text("deploy-requests-page-1.json")));

        List<DeployRequest> requests = api.listDeployRequests("shop", DeployRequestFilter.OPEN, 1);

        assertThat(requests).extracting(r -> r.ref().number()).containsExactly(3);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void listDeployRequests_stopsWhenNextPageDoesNotMoveForward() throws Exception {
        server.enqueue(json(Fixtures.page(1, Fixtures.deployRequest(5))));

        List<DeployRequest> requests = api.listDeployRequests("shop", DeployRequestFilter.ALL, 50);

        assertThat(requests).hasSize(1);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void listDeployRequests_withALimitBelowOne_isRejectedBeforeAnyRequest() {
        assertThatThrownBy(() -> api.listDeployRequests("shop", DeployRequestFilter.OPEN, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void canSeeOrganization_findsTheOrganizationOnALaterPage() throws Exception {
        server.enqueue(json(Fixtures.page(2, Fixtures.named("other-org"))));
        server.enqueue(json(Fixtures.page(null, Fixtures.named("acme"))));

        boolean visible = api.canSeeOrganization();

        assertThat(visible).isTrue();
        assertThat(take().getPath()).isEqualTo("/v1/organizations?page=1&per_page=100");
        assertThat(take().getPath()).isEqualTo("/v1/organizations?page=2&per_page=100");
    }

    @Test
    void canSeeOrganization_isFalseWhenTheOrganizationIsNotListed() throws Exception {
        server.enqueue(json(Fixtures.page(null, Fixtures.named("other-org"), Fixtures.named("acme-staging"))));

        assertThat(api.canSeeOrganization()).isFalse();
    }

    @Test
    void invalidDatabaseName_isRejectedBeforeAnyRequest() {
        assertThatThrownBy(() -> api.getDatabase("../admin")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> api.deployQueue("shop/../x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void deployRequestOfAnotherOrganization_isRejectedBeforeAnyRequest() {
        DeployRef elsewhere = new DeployRef("globex", "shop", 42);

        assertThatThrownBy(() -> api.cancel(elsewhere)).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded).as("a request reached the server").isNotNull();
        return recorded;
    }

    private static void assertWrite(RecordedRequest recorded, String method, String path) {
        assertThat(recorded.getMethod()).isEqualTo(method);
        assertThat(recorded.getPath()).isEqualTo(path);
        assertThat(recorded.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(recorded.getHeader("Authorization")).isEqualTo(AUTHORIZATION);
    }

    private static JsonNode body(RecordedRequest recorded) throws IOException {
        return PlanetScaleJson.mapper().readTree(recorded.getBody().readUtf8());
    }

    private static JsonNode tree(String text) throws IOException {
        return PlanetScaleJson.mapper().readTree(text);
    }

    static MockResponse json(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }
}
