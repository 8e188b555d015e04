package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole product path in the sandbox: subscribe, deploy from Slack, and the thread that follows. */
@Timeout(30)
class SandboxLifecycleTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();

    @Test
    void healthz_answersOk() throws Exception {
        RunningCutover.HttpResult health = cutover.service().get("/healthz");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"sandbox\":true");
    }

    @Test
    void deployFromSlack_postsOneCardAndOneReplyPerTransition_endingInTheRevertWindow() throws Exception {
        cutover.service().command(ALICE, CHANNEL, "subscribe analytics", slack.responseUrl("subscribe"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses("subscribe").isEmpty());
        assertThat(slack.responses("subscribe").get(0).body().toString()).contains("subscribed this channel");
        int number = cutover.service().simulator().createDeployRequest("analytics", "add-events-index", "main",
                new dev.cutover.deploy.Actor("bob", "Bob Builder"), true, false,
                List.of("ALTER TABLE events ADD INDEX idx_created (created_at)"));
        List<FakeSlackApi.Call> parents = awaitPosts(1);
        String threadTs = slack.tsOf(parents.get(0));

        clock.advance(Duration.ofSeconds(3)); // checks finish: pending → ready (no webhook for that)
        cutover.service().simulator().tick();
        new dev.cutover.testing.SlackRequests(cutover.service()).typedWrite(slack, ALICE, CHANNEL,
                "deploy analytics " + number, slack.responseUrl("deploy"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.responses("deploy").size() >= 2);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(5));
            cutover.service().simulator().tick();
        }

        assertThat(cutover.service().simulator().stateOf("analytics", number)).isEqualTo(DeploymentState.COMPLETE_PENDING_REVERT);
        List<String> events = List.of("queued", "in_progress", "schema_applied");
        List<FakeSlackApi.Call> replies = awaitReplies(threadTs, events.size());
        assertThat(replies).hasSize(events.size());
        assertThat(slack.posts(CHANNEL)).hasSize(1);
        assertThat(replies.get(0).param("text")).contains("queued for deploy by <@" + ALICE + "> via Cutover");
        assertThat(replies).allSatisfy(reply -> assertThat(reply.blocks().toString()).contains("Sandbox"));
        JsonNode lastCard = slack.lastUpdate(CHANNEL, threadTs).orElseThrow().blocks();
        assertThat(lastCard.toString()).contains("Revert").contains("Skip revert");
        assertThat(slack.responses("deploy")).hasSize(2) // the confirm step, then the outcome
                .last().satisfies(response -> assertThat(response.body().toString()).contains("queued"));
    }

    private List<FakeSlackApi.Call> awaitPosts(int count) {
        org.awaitility.Awaitility.await().failFast(() -> false).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.posts(CHANNEL).size() >= count);
        return slack.posts(CHANNEL);
    }

    private List<FakeSlackApi.Call> awaitReplies(String threadTs, int count) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.replies(CHANNEL, threadTs).size() >= count);
        return slack.replies(CHANNEL, threadTs);
    }
}
