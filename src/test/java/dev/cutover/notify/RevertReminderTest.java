package dev.cutover.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.sandbox.PlanetScaleSimulator;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SandboxCalls;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reminder five minutes before a revert window closes. PlanetScale is a simulator the test owns (not the
 * service's built-in sandbox), so it keeps its deploy requests when the service restarts.
 */
@Timeout(30)
class RevertReminderTest {
    static final String CHANNEL = "C0REMIND";
    static final String ALICE = "U0ALICE";
    static final String DATABASE = "analytics";

    /** PlanetScale is a simulator of the test's own, so the service can restart without losing it. */
    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.against(() -> this.planetScale.baseUrl())
            .afterStart(started -> this.planetScale.webhookUrl(started.url("/webhooks/planetscale")))
            .closing(() -> this.planetScale.close());
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();
    final PlanetScaleSimulator planetScale = simulator(clock);
    final SandboxCalls api = new SandboxCalls(planetScale);
    int number;
    String threadTs;

    @BeforeEach
    void deployIntoTheRevertWindow() throws Exception {
        cutover.service().command(ALICE, CHANNEL, "subscribe " + DATABASE, slack.responseUrl("subscribe"));
        awaitResponse("subscribe");
        number = planetScale.createDeployRequest(DeployRequestSeed.of(DATABASE, "add-index",
                new Actor("bob", "Bob Builder"), List.of("ALTER TABLE events ADD INDEX idx (created_at)"))
                .withChecksDone());
        threadTs = slack.tsOf(awaitPosts(1).get(0));

        new dev.cutover.testing.SlackRequests(cutover.service()).typedWrite(slack, ALICE, CHANNEL,
                "deploy " + DATABASE + " " + number, slack.responseUrl("deploy"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.responses("deploy").size() >= 2); // confirm step, outcome
        step(Duration.ofSeconds(2)); // in_progress
        step(Duration.ofSeconds(10)); // cutover starts by itself
        step(Duration.ofSeconds(3)); // schema_applied: the 30-minute revert window opens
        awaitReplies(3);
        awaitOutboxEmpty();
    }

    @Test
    void fiveMinutesBeforeTheWindowCloses_remindsTheDeployerInTheThread_withRevertAndSkipButtons() {
        clock.advance(Duration.ofMinutes(24).plusSeconds(59));
        cutover.service().cutover().deliverNow();
        assertThat(slack.replies(CHANNEL, threadTs)).hasSize(3);

        clock.advance(Duration.ofSeconds(1));
        cutover.service().cutover().deliverNow();
        clock.advance(Duration.ofMinutes(1));
        cutover.service().cutover().deliverNow();

        List<FakeSlackApi.Call> replies = slack.replies(CHANNEL, threadTs);
        assertThat(replies).hasSize(4);
        FakeSlackApi.Call reminder = replies.get(3);
        assertThat(reminder.param("text")).contains("<@" + ALICE + ">").contains("revert window");
        assertThat(DeployRequestThreadTest.actionIds(reminder.blocks()))
                .contains("cutover:revert", "cutover:skip_revert");
    }

    @Test
    void skippedRevertBeforeTheReminder_getsNoReminder() throws Exception {
        clock.advance(Duration.ofSeconds(10)); // the channel's pacing refills before the next event
        api.post(DATABASE, number, "skip-revert");
        awaitReplies(4); // closed

        clock.advance(Duration.ofMinutes(26));
        cutover.service().cutover().deliverNow();

        assertThat(slack.replies(CHANNEL, threadTs)).hasSize(4);
        assertThat(slack.replies(CHANNEL, threadTs).get(3).param("text")).doesNotContain("revert window for");
    }

    @Test
    void revertedBeforeTheReminder_getsNoReminder() throws Exception {
        clock.advance(Duration.ofSeconds(10)); // the channel's pacing refills before the next event
        api.post(DATABASE, number, "revert");
        awaitReplies(4); // reverted
        step(Duration.ofSeconds(4)); // revert finishes: closed
        awaitReplies(5);

        clock.advance(Duration.ofMinutes(26));
        cutover.service().cutover().deliverNow();

        assertThat(slack.replies(CHANNEL, threadTs)).hasSize(5);
    }

    @Test
    void scheduledReminder_survivesARestart() throws Exception {
        cutover.restart();

        clock.advance(Duration.ofMinutes(25));
        cutover.service().cutover().deliverNow();

        List<FakeSlackApi.Call> replies = slack.replies(CHANNEL, threadTs);
        assertThat(replies).hasSize(4);
        assertThat(replies.get(3).param("text")).contains("<@" + ALICE + ">").contains("revert window");
    }

    // ---- helpers ----

    @Test
    void aDueReminderWhosePlanetScaleReadIsSlow_holdsUpNoOtherNotification() throws Exception {
        planetScale.respondSlowly(Duration.ofSeconds(11));
        int readsBefore = planetScale.requests().size();
        clock.advance(Duration.ofMinutes(25).plusSeconds(1)); // due: its re-check now takes 11 s per attempt
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> planetScale.requests().size() > readsBefore); // the reminder is waiting on PlanetScale

        for (int i = 0; i < 5; i++) {
            planetScale.createDeployRequest(DeployRequestSeed.of(DATABASE, "other-" + i,
                    new Actor("bob", "Bob Builder"), List.of("ALTER TABLE events ADD INDEX idx" + i + " (id)")));
        }

        // Five new cards while the reminder still waits: each waits at most briefly for the approval setting.
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.posts(CHANNEL).size() >= 6);
        assertThat(slack.posts(CHANNEL)).hasSize(6);
        planetScale.clearFailures();
    }

    private static PlanetScaleSimulator simulator(FakeClock clock) {
        PlanetScaleSimulator simulator = new PlanetScaleSimulator(clock, RunningCutover.ORG, null,
                RunningCutover.WEBHOOK_SECRET, Runnable::run);
        simulator.start();
        simulator.seedDemo();
        return simulator;
    }

    private void step(Duration duration) {
        clock.advance(duration);
        planetScale.tick();
    }

    private void awaitResponse(String name) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses(name).isEmpty());
    }

    private List<FakeSlackApi.Call> awaitPosts(int count) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.posts(CHANNEL).size() >= count);
        return slack.posts(CHANNEL);
    }

    private void awaitReplies(int count) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.replies(CHANNEL, threadTs).size() >= count);
    }

    private void awaitOutboxEmpty() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> cutover.service().get("/healthz").body().contains("\"outbox\":0"));
    }
}
