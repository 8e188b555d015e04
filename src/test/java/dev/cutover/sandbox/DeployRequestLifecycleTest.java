package dev.cutover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.testing.FakeClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeployRequestLifecycleTest {
    private static final Actor ALICE = new Actor("alice-ng", "Alice Ng");
    private static final List<String> DDL = List.of(
            "ALTER TABLE `orders` ADD INDEX `idx_customer` (`customer_id`)",
            "CREATE TABLE `refunds` (`id` bigint NOT NULL, PRIMARY KEY (`id`))");
    private static final Steps STEPS = Steps.DEFAULT;

    private final FakeClock clock = new FakeClock();
    private PlanetScaleSimulator simulator;
    private SandboxClient client;

    @BeforeEach
    void start() {
        simulator = new PlanetScaleSimulator(clock, "acme", null, "secret", Runnable::run, STEPS);
        simulator.start();
        simulator.setDatabase("shop", false);
        simulator.setDatabase("strict", true);
        client = new SandboxClient(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void newDeployRequest_isPendingUntilChecksFinish_thenReady() {
        int number = simulator.createDeployRequest("shop", "add-index", "main", ALICE, true, false, DDL);
        DeploymentState beforeChecks = simulator.stateOf("shop", number);

        advance(STEPS.checks());

        assertThat(beforeChecks).isEqualTo(DeploymentState.PENDING);
        assertThat(simulator.stateOf("shop", number)).isEqualTo(DeploymentState.READY);
    }

    @Test
    void deployRequestWithLintErrors_endsChecksInError() {
        int number = simulator.createDeployRequest(DeployRequestSeed.of("shop", "logs", ALICE,
                List.of("CREATE TABLE `logs` (`line` text)")).withLintError("NO_UNIQUE_KEY", "logs",
                "table \"logs\" has no unique key"));

        advance(STEPS.checks());

        assertThat(simulator.stateOf("shop", number)).isEqualTo(DeploymentState.ERROR);
    }

    @Test
    void gatedDeployRequest_walksTheWholeLifecycle() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL).gated());
        String path = "/databases/shop/deploy-requests/" + number;

        JsonNode queued = client.post(path + "/deploy", "{\"instant_ddl\":false}").json();
        assertThat(queued.path("deployment_state").asText()).isEqualTo("queued");
        assertThat(queued.path("deployment").path("queued_at").asText()).isEqualTo(timestamp(clock.instant()));
        assertThat(queued.path("deployment").path("actor").path("id").asText()).isEqualTo("token-id");
        assertThat(queued.path("deployment").path("actor").path("type").asText()).isEqualTo("ServiceToken");

        advance(STEPS.queue());
        JsonNode running = client.get(path).json();
        assertThat(running.path("deployment_state").asText()).isEqualTo("in_progress");
        assertThat(running.path("deployment").path("deploy_operations").get(0).path("state").asText())
                .isEqualTo("in_progress");

        advance(STEPS.run());
        assertThat(client.get(path).json().path("deployment_state").asText()).isEqualTo("pending_cutover");

        JsonNode applied = client.post(path + "/apply-deploy", "{}").json();
        assertThat(applied.path("deployment_state").asText()).isEqualTo("in_progress_cutover");

        advance(STEPS.cutover());
        JsonNode deployed = client.get(path).json();
        Instant deployedAt = Instant.parse(deployed.path("deployed_at").asText());
        assertThat(deployed.path("deployment_state").asText()).isEqualTo("complete_pending_revert");
        assertThat(deployed.path("state").asText()).isEqualTo("open");
        assertThat(deployedAt).isEqualTo(clock.instant());
        assertThat(Instant.parse(deployed.path("deployment").path("deployment_revert_request")
                .path("waiting_period_end_at").asText())).isEqualTo(deployedAt.plus(Duration.ofMinutes(30)));

        advance(Duration.ofMinutes(30));
        JsonNode expired = client.get(path).json();
        assertThat(expired.path("deployment_state").asText()).isEqualTo("complete");
        assertThat(expired.path("state").asText()).isEqualTo("closed");
        assertThat(expired.path("closed_at").isNull()).isFalse();
    }

    @Test
    void revertWindow_stillOpenOneMinuteBeforeItEnds() {
        int number = deployedRequest();

        advance(Duration.ofMinutes(29));

        assertThat(simulator.stateOf("shop", number)).isEqualTo(DeploymentState.COMPLETE_PENDING_REVERT);
        assertThat(simulator.isOpen("shop", number)).isTrue();
    }

    @Test
    void autoCutover_goesFromRunningToRevertWindowWithoutApply() {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));
        deploy(number);

        advance(STEPS.queue());
        advance(STEPS.run());
        DeploymentState cuttingOver = simulator.stateOf("shop", number);
        advance(STEPS.cutover());

        assertThat(cuttingOver).isEqualTo(DeploymentState.IN_PROGRESS_CUTOVER);
        assertThat(simulator.stateOf("shop", number)).isEqualTo(DeploymentState.COMPLETE_PENDING_REVERT);
    }

    @Test
    void oneTick_afterALongPause_appliesEveryDueStepInOrder() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));
        deploy(number);

        clock.advance(STEPS.queue().plus(STEPS.run()).plus(STEPS.cutover()));
        simulator.tick();

        JsonNode deployed = client.get("/databases/shop/deploy-requests/" + number).json();
        assertThat(deployed.path("deployment_state").asText()).isEqualTo("complete_pending_revert");
        assertThat(deployed.path("deployed_at").asText()).isEqualTo(timestamp(clock.instant()));
    }

    @Test
    void progress_risesAcrossTicksWhileRunning() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));
        deploy(number);
        advance(STEPS.queue());
        String path = "/databases/shop/deploy-requests/" + number + "/operations";

        double atStart = client.get(path).json().path("data").get(0).path("progress_percentage").asDouble();
        advance(STEPS.run().dividedBy(4));
        JsonNode quarter = client.get(path).json().path("data").get(0);
        advance(STEPS.run().dividedBy(4));
        double half = client.get(path).json().path("data").get(0).path("progress_percentage").asDouble();

        assertThat(atStart).isEqualTo(0.0);
        assertThat(quarter.path("progress_percentage").asDouble()).isEqualTo(25.0);
        assertThat(quarter.path("eta_seconds").asDouble()).isEqualTo(7.5);
        assertThat(half).isEqualTo(50.0);
    }

    @Test
    void revert_startsInProgressRevert_thenCompletesAndCloses() throws Exception {
        int number = deployedRequest();
        String path = "/databases/shop/deploy-requests/" + number;

        JsonNode reverting = client.post(path + "/revert", "{}").json();
        advance(STEPS.revert());
        JsonNode reverted = client.get(path).json();

        assertThat(reverting.path("deployment_state").asText()).isEqualTo("in_progress_revert");
        assertThat(reverting.path("state").asText()).isEqualTo("open");
        assertThat(reverted.path("deployment_state").asText()).isEqualTo("complete_revert");
        assertThat(reverted.path("state").asText()).isEqualTo("closed");
        assertThat(reverted.path("deployment").path("deployment_revert_request").path("finished_at").asText())
                .isEqualTo(timestamp(clock.instant()));
    }

    @Test
    void skipRevert_completesAndClosesAtOnce() throws Exception {
        int number = deployedRequest();

        JsonNode skipped = client.post("/databases/shop/deploy-requests/" + number + "/skip-revert", "{}").json();

        assertThat(skipped.path("deployment_state").asText()).isEqualTo("complete");
        assertThat(skipped.path("state").asText()).isEqualTo("closed");
        assertThat(skipped.path("closed_by").path("id").asText()).isEqualTo("token-id");
    }

    @Test
    void cancel_whenQueued_goesThroughInProgressCancelToCompleteCancel() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));
        deploy(number);

        JsonNode cancelling = client.post("/databases/shop/deploy-requests/" + number + "/cancel", "{}").json();
        advance(STEPS.cancel());

        assertThat(cancelling.path("deployment_state").asText()).isEqualTo("in_progress_cancel");
        assertThat(cancelling.path("deployment").path("cancelled_actor").path("id").asText()).isEqualTo("token-id");
        assertThat(simulator.stateOf("shop", number)).isEqualTo(DeploymentState.COMPLETE_CANCEL);
    }

    @Test
    void cancel_whenReady_isRefused() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));

        SandboxClient.Reply reply = client.post("/databases/shop/deploy-requests/" + number + "/cancel", "{}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("code").asText()).isEqualTo("unprocessable");
    }

    @Test
    void close_closesTheRequestAndKeepsItsDeploymentState() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));

        JsonNode closed = client.patch("/databases/shop/deploy-requests/" + number, "{\"state\":\"closed\"}").json();

        assertThat(closed.path("state").asText()).isEqualTo("closed");
        assertThat(closed.path("deployment_state").asText()).isEqualTo("ready");
        assertThat(closed.path("closed_at").asText()).isEqualTo(timestamp(clock.instant()));
    }

    @Test
    void close_whenAlreadyClosed_isRefused() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));
        client.patch("/databases/shop/deploy-requests/" + number, "{\"state\":\"closed\"}");

        SandboxClient.Reply reply = client.patch("/databases/shop/deploy-requests/" + number,
                "{\"state\":\"closed\"}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("message").asText()).isEqualTo("Deploy request is already closed");
    }

    @Test
    void deploy_whenClosed_isRefused() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));
        client.patch("/databases/shop/deploy-requests/" + number, "{\"state\":\"closed\"}");

        SandboxClient.Reply reply = client.post("/databases/shop/deploy-requests/" + number + "/deploy", "{}");

        assertThat(reply.status()).isEqualTo(422);
    }

    @Test
    void instantDeploy_goesStraightToCompleteAndClosed_withoutRevertWindow() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-column", ALICE,
                List.of("ALTER TABLE `orders` ADD COLUMN `note` varchar(255)")).withInstantEligible());

        JsonNode deployed = client.post("/databases/shop/deploy-requests/" + number + "/deploy",
                "{\"instant_ddl\":true}").json();

        assertThat(deployed.path("deployment_state").asText()).isEqualTo("complete");
        assertThat(deployed.path("state").asText()).isEqualTo("closed");
        assertThat(deployed.path("deployment").path("instant_ddl").asBoolean()).isTrue();
        assertThat(deployed.path("deployment").path("deployment_revert_request").isNull()).isTrue();
        assertThat(client.post("/databases/shop/deploy-requests/" + number + "/revert", "{}").status())
                .isEqualTo(422);
    }

    @Test
    void instantDeploy_whenNotEligible_isRefused() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));

        SandboxClient.Reply reply = client.post("/databases/shop/deploy-requests/" + number + "/deploy",
                "{\"instant_ddl\":true}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("message").asText()).contains("instant");
    }

    @Test
    void deploy_withoutApproval_whenApprovalRequired_isRefusedWithMessage() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("strict", "add-index", ALICE, DDL));

        SandboxClient.Reply reply = client.post("/databases/strict/deploy-requests/" + number + "/deploy",
                "{\"instant_ddl\":false}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("code").asText()).isEqualTo("unprocessable");
        assertThat(reply.json().path("message").asText())
                .isEqualTo("Deploy request must be approved before it can be deployed");
        assertThat(simulator.stateOf("strict", number)).isEqualTo(DeploymentState.READY);
    }

    @Test
    void deploy_afterApproval_whenApprovalRequired_isQueued() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("strict", "add-index", ALICE, DDL));
        client.post("/databases/strict/deploy-requests/" + number + "/reviews", "{\"state\":\"approved\",\"body\":\"\"}");

        SandboxClient.Reply reply = client.post("/databases/strict/deploy-requests/" + number + "/deploy", "{}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("deployment_state").asText()).isEqualTo("queued");
    }

    @Test
    void apply_whenNotPendingCutover_isRefused() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));

        SandboxClient.Reply reply = client.post("/databases/shop/deploy-requests/" + number + "/apply-deploy", "{}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("message").asText()).isEqualTo("Deploy request is not pending cutover");
    }

    @Test
    void deploy_whilePending_isRefused() throws Exception {
        int number = simulator.createDeployRequest("shop", "add-index", "main", ALICE, true, false, DDL);

        SandboxClient.Reply reply = client.post("/databases/shop/deploy-requests/" + number + "/deploy", "{}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(simulator.stateOf("shop", number)).isEqualTo(DeploymentState.PENDING);
    }

    @Test
    void completeDeploy_afterFailedRun_completesAndCloses() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL).failingWhileRunning());
        deploy(number);
        advance(STEPS.queue());
        advance(STEPS.run());
        DeploymentState failed = simulator.stateOf("shop", number);

        JsonNode unblocked = client.post("/databases/shop/deploy-requests/" + number + "/complete-deploy", "{}").json();

        assertThat(failed).isEqualTo(DeploymentState.COMPLETE_ERROR);
        assertThat(unblocked.path("deployment_state").asText()).isEqualTo("complete");
        assertThat(unblocked.path("state").asText()).isEqualTo("closed");
    }

    @Test
    void secondDeploy_waitsInQueueBehindFirst_untilFirstLeavesRevertWindow() throws Exception {
        int first = readyRequest(DeployRequestSeed.of("shop", "first", ALICE, DDL));
        int second = readyRequest(DeployRequestSeed.of("shop", "second", ALICE,
                List.of("ALTER TABLE `users` ADD COLUMN `nickname` varchar(64)")));
        deploy(first);
        advance(STEPS.queue().plus(STEPS.run()).plus(STEPS.cutover()));
        JsonNode queuedSecond = client.post("/databases/shop/deploy-requests/" + second + "/deploy", "{}").json();

        advance(STEPS.queue());
        DeploymentState whileFirstRevertable = simulator.stateOf("shop", second);
        JsonNode queue = client.get("/databases/shop/deploy-queue").json();
        client.post("/databases/shop/deploy-requests/" + first + "/skip-revert", "{}");
        simulator.tick();

        assertThat(queuedSecond.path("deployment").path("preceding_deployments").get(0)
                .path("deploy_request_number").asInt()).isEqualTo(first);
        assertThat(whileFirstRevertable).isEqualTo(DeploymentState.QUEUED);
        assertThat(queue.path("data")).extracting(d -> d.path("deploy_request_number").asInt())
                .containsExactly(first, second);
        assertThat(queue.path("data").get(0).path("type").asText()).isEqualTo("Deployment");
        assertThat(simulator.stateOf("shop", second)).isEqualTo(DeploymentState.IN_PROGRESS);
    }

    @Test
    void everyChange_bumpsUpdatedAt() throws Exception {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));
        clock.advance(Duration.ofMinutes(5));

        JsonNode queued = client.post("/databases/shop/deploy-requests/" + number + "/deploy", "{}").json();

        assertThat(queued.path("updated_at").asText()).isEqualTo(timestamp(clock.instant()));
        assertThat(queued.path("created_at").asText()).isNotEqualTo(queued.path("updated_at").asText());
    }

    private int readyRequest(DeployRequestSeed seed) {
        int number = simulator.createDeployRequest(seed);
        advance(STEPS.checks());
        assertThat(simulator.stateOf(seed.database(), number)).isEqualTo(DeploymentState.READY);
        return number;
    }

    /** A gated request cut over just now, so it is in its revert window. */
    private int deployedRequest() {
        int number = readyRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL));
        deploy(number);
        advance(STEPS.queue().plus(STEPS.run()).plus(STEPS.cutover()));
        assertThat(simulator.stateOf("shop", number)).isEqualTo(DeploymentState.COMPLETE_PENDING_REVERT);
        return number;
    }

    private void deploy(int number) {
        try {
            assertThat(client.post("/databases/shop/deploy-requests/" + number + "/deploy", "{}").status())
                    .isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        simulator.tick();
    }

    private static String timestamp(Instant instant) {
        return WireJson.timestamp(instant);
    }
}
