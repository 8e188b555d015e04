package dev.cutover.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.sandbox.PlanetScaleSimulator;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SandboxCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Polling mode: no {@code PLANETSCALE_WEBHOOK_SECRET}, so no webhook endpoint, and reconciliation alone (every 15 s
 * by default) tells each deploy request's story. PlanetScale is the simulator on loopback, reached as the real API
 * (not in sandbox mode), and it sends no webhooks at all.
 */
@Timeout(60)
class PollingModeTest {
    static final String CHANNEL = "C0POLLING";
    static final String DATABASE = "shop";
    static final Actor AUTHOR = new Actor("carol", "Carol Author");
    static final Duration POLL = Duration.ofSeconds(15);

    @RegisterExtension
    final CutoverExtension service = CutoverExtension.against(() -> this.simulator.baseUrl())
            .env("PLANETSCALE_WEBHOOK_SECRET", "")
            .env("CUTOVER_DEFAULT_CHANNEL", CHANNEL)
            .closing(() -> this.simulator.close());
    final PlanetScaleSimulator simulator = started(new PlanetScaleSimulator(service.clock(), RunningCutover.ORG, null,
            "never-used", Runnable::run));

    @Test
    void webhookEndpoint_saysWebhooksAreNotConfigured() throws Exception {
        RunningCutover.HttpResult answer = service.service().webhook("{\"event\":\"webhook.test\"}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).contains("not_configured").contains("every 15 s");
    }

    @Test
    void aWholeLifecycle_isToldByPollingAlone_every15Seconds() throws Exception {
        RunningCutover cutover = service.service();
        FakeSlackApi slack = service.slack();
        SandboxCalls sandbox = new SandboxCalls(simulator);
        int number = simulator.createDeployRequest(DeployRequestSeed.of(DATABASE, "add-index", AUTHOR,
                List.of("ALTER TABLE orders ADD INDEX idx_total (total)")).withChecksDone());

        poll(cutover);
        assertThat(slack.posts(CHANNEL)).hasSize(1);
        String threadTs = slack.tsOf(slack.posts(CHANNEL).get(0));
        sandbox.post(DATABASE, number, "deploy");
        poll(cutover);
        service.clock().advance(Duration.ofMinutes(1));
        simulator.tick(); // runs, cuts over, opens the revert window
        poll(cutover);
        sandbox.post(DATABASE, number, "skip-revert");
        poll(cutover);

        List<String> replies = slack.replies(CHANNEL, threadTs).stream().map(call -> call.param("text")).toList();
        assertThat(replies).hasSize(3);
        assertThat(replies.get(0)).contains("queued for deploy");
        assertThat(replies.get(1)).contains("schema applied");
        assertThat(replies.get(2)).contains("deployed and closed");
        assertThat(slack.posts(CHANNEL)).hasSize(1);
    }

    /** One polling period later, the pass runs and its events are delivered. */
    private void poll(RunningCutover cutover) {
        service.clock().advance(POLL);
        assertThat(cutover.cutover().reconcileDue()).isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> cutover.get("/healthz").body().contains("\"outbox\":0"));
    }

    private static PlanetScaleSimulator started(PlanetScaleSimulator simulator) {
        simulator.start();
        simulator.setDatabase(DATABASE, false);
        return simulator;
    }
}
