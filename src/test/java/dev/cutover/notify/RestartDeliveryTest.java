package dev.cutover.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SandboxCalls;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events recorded while Slack is down survive a restart of the service and are delivered once afterwards. */
@Timeout(30)
class RestartDeliveryTest {
    static final String CHANNEL = "C0RESTART";
    static final String DATABASE = "analytics";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();

    @Test
    void eventsRecordedWhileSlackIsDown_areDeliveredOnceByTheNextRun() throws Exception {
        RunningCutover first = cutover.service();
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
        cutover.stop();
        assertThat(slack.posts(CHANNEL)).isEmpty();

        slack.up();
        clock.advance(Outbox.MAX_BACKOFF);
        RunningCutover second = cutover.start();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> second.get("/healthz").body().contains("\"outbox\":0"));
        second.cutover().deliverNow();
        cutover.stop();

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
