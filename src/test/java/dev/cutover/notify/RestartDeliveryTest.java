package dev.cutover.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SandboxCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Events recorded while Slack is down survive a restart of the service and are delivered once afterwards. */
@Timeout(30)
class RestartDeliveryTest {
    static final String CHANNEL = "C0RESTART";
    static final String DATABASE = "analytics";

    @TempDir
    Path dataDir;
    final FakeSlackApi slack = new FakeSlackApi().start();
    final FakeClock clock = new FakeClock();

    @AfterEach
    void stopSlack() {
        slack.close();
    }

    @Test
    void eventsRecordedWhileSlackIsDown_areDeliveredOnceByTheNextRun() throws Exception {
        try (RunningCutover first = RunningCutover.sandbox(slack, clock, dataDir, Map.of())) {
            first.command("U0ALICE", CHANNEL, "subscribe " + DATABASE, slack.responseUrl("subscribe"));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !slack.responses("subscribe").isEmpty());
            slack.down();
            int number = first.simulator().createDeployRequest(DeployRequestSeed.of(DATABASE, "add-index",
                    new Actor("bob", "Bob Builder"), List.of("ALTER TABLE events ADD INDEX idx (created_at)")));
            clock.advance(Duration.ofSeconds(3));
            first.simulator().tick();
            new SandboxCalls(first.simulator()).post(DATABASE, number, "deploy"); // queued
            first.simulator().sendTestWebhook(DATABASE);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !slack.calls("chat.postMessage").isEmpty());
            first.cutover().deliverNow();
            assertThat(first.get("/healthz").body()).contains("\"outbox\":3");
        }
        assertThat(slack.posts(CHANNEL)).isEmpty();

        slack.up();
        clock.advance(Outbox.MAX_BACKOFF);
        try (RunningCutover second = RunningCutover.sandbox(slack, clock, dataDir, Map.of())) {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> second.get("/healthz").body().contains("\"outbox\":0"));
            second.cutover().deliverNow();
        }

        // Each delivered exactly once; unrelated events may land in either order (order is per deploy request).
        List<FakeSlackApi.Call> posts = slack.posts(CHANNEL);
        assertThat(posts).hasSize(2);
        FakeSlackApi.Call card = posts.stream().filter(p -> p.param("text").contains("add-index")).findFirst()
                .orElseThrow();
        assertThat(posts).filteredOn(p -> p.param("text").contains("test webhook")).hasSize(1);
        assertThat(slack.replies(CHANNEL, slack.tsOf(card))).singleElement()
                .satisfies(reply -> assertThat(reply.param("text")).contains("queued"));
    }
}
