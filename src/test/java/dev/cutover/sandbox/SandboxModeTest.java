package dev.cutover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cutover.deploy.DeploymentState;
import dev.cutover.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulator as {@code --sandbox} uses it: demo data, a background ticker, several callers at once. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SandboxModeTest {
    private final FakeClock clock = new FakeClock();
    private PlanetScaleSimulator simulator;

    @BeforeEach
    void start() {
        simulator = new PlanetScaleSimulator(clock, "sandbox-org", null, "secret", Runnable::run);
        simulator.start();
        simulator.seedDemo();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void demo_offersEveryInterestingState() {
        assertThat(simulator.stateOf("shop", 1)).isEqualTo(DeploymentState.COMPLETE);
        assertThat(simulator.isOpen("shop", 1)).isFalse();
        assertThat(simulator.stateOf("shop", 2)).isEqualTo(DeploymentState.READY);
        assertThat(simulator.stateOf("shop", 3)).isEqualTo(DeploymentState.READY);
        assertThat(simulator.stateOf("analytics", 1)).isEqualTo(DeploymentState.PENDING);
        assertThat(simulator.stateOf("analytics", 2)).isEqualTo(DeploymentState.ERROR);
    }

    @Test
    void demoPendingRequest_becomesReadyOnTheNextStep() {
        clock.advance(simulator.steps().checks());

        simulator.tick();

        assertThat(simulator.stateOf("analytics", 1)).isEqualTo(DeploymentState.READY);
    }

    @Test
    void demoApprovedRequest_canBeDeployedInstantly() throws Exception {
        SandboxClient client = new SandboxClient(simulator);

        SandboxClient.Reply reply = client.post("/databases/shop/deploy-requests/3/deploy", "{\"instant_ddl\":true}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("deployment_state").asText()).isEqualTo("complete");
    }

    @Test
    void demoUnapprovedRequest_onApprovalDatabase_isRefused() throws Exception {
        SandboxClient client = new SandboxClient(simulator);

        SandboxClient.Reply reply = client.post("/databases/shop/deploy-requests/2/deploy", "{}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("message").asText()).contains("approved");
    }

    @Test
    void stateOf_unknownDeployRequest_throws() {
        assertThatThrownBy(() -> simulator.stateOf("shop", 42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shop#42");
    }

    @Test
    void startTicking_movesRequestsOnWithoutManualTicks() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            simulator.startTicking(scheduler, Duration.ofMillis(10));

            clock.advance(simulator.steps().checks());

            await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5))
                    .until(() -> simulator.stateOf("analytics", 1) == DeploymentState.READY);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void concurrentCallersAndTicks_allGetAnswers() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        SandboxClient client = new SandboxClient(simulator);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                statuses.add(callers.submit(() -> client.get("/databases/analytics/deploy-requests?state=open").status()));
                clock.advance(Duration.ofMillis(200));
                simulator.tick();
            }

            for (Future<Integer> status : statuses) {
                assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            }
            assertThat(simulator.stateOf("analytics", 1)).isEqualTo(DeploymentState.READY);
        } finally {
            callers.shutdownNow();
        }
    }
}
