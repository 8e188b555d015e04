package dev.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly once at the Slack boundary, over HTTP against the running service: a post whose answer is lost is found
 * and adopted instead of posted again, and an event for several channels is re-sent only where it failed.
 */
@Timeout(60)
class ExactlyOnceTest {
    static final String CHANNEL = "C0DEFAULT";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_DEFAULT_CHANNEL", CHANNEL);
    final FakeSlackApi slack = cutover.slack();

    @Test
    void slackAnswersAfterTheClientGaveUp_theMessageIsAdopted_notPostedTwice() throws Exception {
        // Slack takes the post but answers after the client's 5 s read timeout: the outcome is unknown to Cutover.
        slack.failNext("chat.postMessage", 1, FakeSlackApi.Fault.delay(Duration.ofSeconds(7)));

        cutover.service().webhook(StoreFailureTest.queuedEvent());
        await().atMost(Duration.ofSeconds(15)).until(() -> outboxRetried());
        cutover.clock().advance(Duration.ofSeconds(2)); // past the first backoff
        cutover.service().cutover().deliverNow();
        awaitOutboxEmpty();

        assertThat(slack.posts(CHANNEL)).hasSize(1);
        assertThat(slack.calls("chat.postMessage")).hasSize(1);
        assertThat(slack.calls("conversations.history")).isNotEmpty();
        assertThat(cutover.service().get("/metrics").body()).containsPattern("cutover_slack_posts_adopted_total 1");
    }

    @Test
    void eventForTwoChannels_slackFailingThreeTimesForOne_theOtherGetsItOnce() throws Exception {
        subscribe("C0HEALTHY");
        subscribe("C0FLAKY");
        slack.failNextIn("chat.postMessage", "C0FLAKY", 3, FakeSlackApi.Fault.error("internal_error"));

        cutover.service().webhook(branchReady());
        for (int attempt = 0; attempt < 4; attempt++) {
            cutover.clock().advance(Duration.ofSeconds(10)); // past each backoff
            cutover.service().cutover().deliverNow();
        }
        awaitOutboxEmpty();

        assertThat(slack.posts("C0HEALTHY")).singleElement()
                .satisfies(post -> assertThat(post.param("text")).contains("is ready"));
        assertThat(slack.posts("C0FLAKY")).hasSize(1);
        assertThat(slack.calls("chat.postMessage").stream().filter(c -> "C0HEALTHY".equals(c.param("channel"))))
                .hasSize(1);
    }

    private boolean outboxRetried() throws Exception {
        return cutover.service().get("/metrics").body().contains("cutover_deliveries_total{outcome=\"retried\"} 1.0");
    }

    private void subscribe(String channel) throws Exception {
        String name = "subscribe-" + channel;
        cutover.service().command("U0ALICE", channel, "subscribe shop branches", slack.responseUrl(name));
        await().atMost(Duration.ofSeconds(5)).until(() -> !slack.responses(name).isEmpty());
    }

    private void awaitOutboxEmpty() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> cutover.service().get("/healthz").body().contains("\"outbox\":0"));
    }

    private static byte[] branchReady() {
        return ("{\"event\":\"branch.ready\",\"organization\":\"" + RunningCutover.ORG + "\",\"database\":\"shop\","
                + "\"resource\":{\"id\":\"br1\",\"name\":\"add-index\",\"updated_at\":\"2026-11-21T12:00:00Z\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
