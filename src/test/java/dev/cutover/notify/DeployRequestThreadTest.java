package dev.cutover.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RecordingWebhookReceiver;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SandboxCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks into Slack threads, over HTTP against the whole service in sandbox mode: one card per deploy request
 * per channel, updated in place, one reply per event, never twice, never rolled back, in the right channels.
 */
@Timeout(30)
class DeployRequestThreadTest {
    static final String DEFAULT_CHANNEL = "C0DEFAULT";
    static final String ALICE = "U0ALICE";
    static final Actor BOB = new Actor("bob", "Bob Builder");
    static final List<String> DDL = List.of("ALTER TABLE events ADD INDEX idx_created (created_at)");
    private static final AtomicInteger SCENARIOS = new AtomicInteger();

    // One service for the class (starting and stopping one takes seconds); each test gets its own database and
    // channels, so tests cannot see each other's threads.
    @RegisterExtension
    static final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_DEFAULT_CHANNEL", DEFAULT_CHANNEL);
    static final FakeSlackApi slack = cutover.slack();
    static final FakeClock clock = cutover.clock();
    static SandboxCalls sandbox;

    String database;
    String channel;
    String otherChannel;

    @BeforeAll
    static void startService() {
        sandbox = new SandboxCalls(cutover.service().simulator());
    }

    @BeforeEach
    void newScenario() {
        int scenario = SCENARIOS.incrementAndGet();
        database = "db" + scenario + "-threads";
        channel = "C0DEPLOYS" + scenario;
        otherChannel = "C0OTHER" + scenario;
        cutover.service().simulator().setDatabase(database, false);
        cutover.service().simulator().webhookUrl(cutover.service().url("/webhooks/planetscale"));
        clock.advance(Duration.ofMinutes(1)); // every channel's pacing starts full
    }

    @Test
    void fullLifecycle_postsOneParentAndOneReplyPerLaterEvent_endingClosedWithoutWriteButtons() throws Exception {
        subscribe(channel, database);
        int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL)
                .gated());
        String threadTs = slack.tsOf(awaitPosts(channel, 1).get(0));

        step(Duration.ofSeconds(3)); // checks finish: ready (no webhook)
        sandbox.post(database, number, "deploy");
        awaitReplies(channel, threadTs, 1);
        step(Duration.ofSeconds(2)); // in_progress
        awaitReplies(channel, threadTs, 2);
        step(Duration.ofSeconds(10)); // pending_cutover
        awaitReplies(channel, threadTs, 3);
        sandbox.post(database, number, "apply-deploy");
        step(Duration.ofSeconds(3)); // schema_applied
        awaitReplies(channel, threadTs, 4);
        sandbox.post(database, number, "skip-revert"); // closed
        List<FakeSlackApi.Call> replies = awaitReplies(channel, threadTs, 5);
        awaitOutboxEmpty();

        assertThat(slack.posts(channel)).hasSize(1);
        assertThat(replies).hasSize(5);
        assertThat(replies).extracting(reply -> reply.param("text")).satisfiesExactly(
                queued -> assertThat(queued).contains("queued"),
                inProgress -> assertThat(inProgress).contains("deploying"),
                pendingCutover -> assertThat(pendingCutover).contains("ready to apply"),
                schemaApplied -> assertThat(schemaApplied).contains("schema applied"),
                closed -> assertThat(closed).containsIgnoringCase("closed"));
        assertThat(actionIds(slack.posts(channel).get(0).blocks())).contains("cutover:approve");
        assertThat(actionIds(replies.get(2).blocks())).contains("cutover:apply");
        assertThat(actionIds(replies.get(3).blocks())).contains("cutover:revert", "cutover:skip_revert");
        assertThat(replies.get(3).param("text")).contains("revert window closes");
        FakeSlackApi.Call lastCard = slack.lastUpdate(channel, threadTs).orElseThrow();
        assertThat(lastCard.blocks().toString()).contains("Deployed").contains("request closed");
        assertThat(actionIds(lastCard.blocks())).noneMatch(DeployRequestThreadTest::isWriteAction);
    }

    @Test
    void erroredDeployRequest_replyShowsTheLintError() throws Exception {
        subscribe(channel, database);
        cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "drop-pk", BOB,
                List.of("ALTER TABLE events DROP PRIMARY KEY"))
                .withLintError("NO_PRIMARY_KEY", "events", "Table events has no primary key"));
        String threadTs = slack.tsOf(awaitPosts(channel, 1).get(0));

        step(Duration.ofSeconds(3)); // checks fail: errored

        FakeSlackApi.Call reply = awaitReplies(channel, threadTs, 1).get(0);
        assertThat(reply.param("text")).contains("errored").contains("Table events has no primary key");
        assertThat(slack.lastUpdate(channel, threadTs).orElseThrow().blocks().toString())
                .contains("Table events has no primary key");
    }

    @Test
    void sameWebhookDeliveredTwice_postsNothingTheSecondTime() throws Exception {
        subscribe(channel, database);
        try (RecordingWebhookReceiver receiver = new RecordingWebhookReceiver().start()) {
            cutover.service().simulator().webhookUrl(receiver.url());
            cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
            byte[] opened = receiver.only(database, "deploy_request.opened");

            RunningCutover.HttpResult first = cutover.service().webhook(opened);
            awaitPosts(channel, 1);
            RunningCutover.HttpResult second = cutover.service().webhook(opened);
            awaitOutboxEmpty();
            cutover.service().cutover().deliverNow();

            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("duplicate");
            assertThat(callsIn("chat.postMessage", channel)).hasSize(1);
            assertThat(callsIn("chat.update", channel)).isEmpty();
        }
    }

    @Test
    void olderEventArrivingAfterANewerOne_neverRollsTheCardBack_andStillGetsItsOneReply() throws Exception {
        subscribe(channel, database);
        try (RecordingWebhookReceiver receiver = new RecordingWebhookReceiver().start()) {
            cutover.service().simulator().webhookUrl(receiver.url());
            int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB,
                    DDL));
            step(Duration.ofSeconds(3));
            sandbox.post(database, number, "deploy");
            step(Duration.ofSeconds(2)); // in_progress
            step(Duration.ofSeconds(10)); // auto cutover starts
            step(Duration.ofSeconds(3)); // schema_applied
            assertThat(receiver.events(database)).containsExactly("deploy_request.opened", "deploy_request.queued",
                    "deploy_request.in_progress", "deploy_request.schema_applied");
            cutover.service().webhook(receiver.only(database, "deploy_request.opened"));
            String threadTs = slack.tsOf(awaitPosts(channel, 1).get(0));

            cutover.service().webhook(receiver.only(database, "deploy_request.schema_applied"));
            awaitReplies(channel, threadTs, 1);
            clock.advance(Duration.ofSeconds(2)); // let the channel's pacing refill
            cutover.service().webhook(receiver.only(database, "deploy_request.in_progress"));
            List<FakeSlackApi.Call> replies = awaitReplies(channel, threadTs, 2);
            awaitOutboxEmpty();

            assertThat(replies).hasSize(2);
            assertThat(replies.get(0).param("text")).contains("schema applied");
            assertThat(replies.get(1).param("text")).contains("is deploying");
            assertThat(actionIds(replies.get(1).blocks())).isEmpty(); // an old event offers no stale buttons
            assertThat(callsIn("chat.update", channel)).hasSize(1);
            JsonNode card = slack.lastUpdate(channel, threadTs).orElseThrow().blocks();
            assertThat(actionIds(card)).contains("cutover:revert", "cutover:skip_revert");
            assertThat(slack.posts(channel)).hasSize(1);
        }
    }

    @Test
    void deletedParent_startsANewThreadWithTheCurrentCard() throws Exception {
        subscribe(channel, database);
        int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        String firstTs = slack.tsOf(awaitPosts(channel, 1).get(0));
        step(Duration.ofSeconds(3));
        slack.failNext("chat.update", 1, FakeSlackApi.Fault.error("message_not_found"));

        sandbox.post(database, number, "deploy");

        List<FakeSlackApi.Call> parents = awaitPosts(channel, 2);
        awaitOutboxEmpty();
        assertThat(parents.get(1).param("text")).contains("#" + number);
        assertThat(slack.replies(channel, firstTs)).isEmpty();
        step(Duration.ofSeconds(2)); // in_progress goes to the new thread
        String newTs = slack.tsOf(parents.get(1));
        assertThat(awaitReplies(channel, newTs, 1).get(0).param("text")).contains("is deploying");
        assertThat(slack.posts(channel)).hasSize(2);
    }

    @Test
    void webhookTest_postsThatNotificationsWork() throws Exception {
        subscribe(channel, database);

        cutover.service().simulator().sendTestWebhook(database);

        FakeSlackApi.Call post = awaitPosts(channel, 1).get(0);
        assertThat(post.param("text")).contains("Webhook works for " + database).contains("notifications work");
    }

    @Test
    void twoChannelsSubscribedToOneDatabase_eachGetTheirOwnThread() throws Exception {
        subscribe(channel, database);
        subscribe(otherChannel, database);
        int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        String threadTs = slack.tsOf(awaitPosts(channel, 1).get(0));
        String otherTs = slack.tsOf(awaitPosts(otherChannel, 1).get(0));
        step(Duration.ofSeconds(3));

        sandbox.post(database, number, "deploy");

        assertThat(awaitReplies(channel, threadTs, 1)).hasSize(1);
        assertThat(awaitReplies(otherChannel, otherTs, 1)).hasSize(1);
        awaitOutboxEmpty();
        assertThat(slack.posts(channel)).hasSize(1);
        assertThat(slack.posts(otherChannel)).hasSize(1);
    }

    @Test
    void channelSubscribedToBranchesOnly_getsNoDeployRequestThreads() throws Exception {
        subscribe(channel, database, "branches");
        subscribe(otherChannel, database);

        cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));

        awaitPosts(otherChannel, 1);
        awaitOutboxEmpty();
        assertThat(slack.posts(channel)).isEmpty();
        assertThat(postsAbout(DEFAULT_CHANNEL, database)).isEmpty();
    }

    @Test
    void databaseNobodySubscribedTo_goesToTheDefaultChannel() throws Exception {
        subscribe(channel, "shop");

        cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !postsAbout(DEFAULT_CHANNEL, database).isEmpty());
        awaitOutboxEmpty();
        assertThat(slack.posts(channel)).isEmpty();
    }

    /** Without CUTOVER_DEFAULT_CHANNEL: a service, Slack and metrics of its own, not the class's shared one. */
    @Nested
    class WithoutDefaultChannel {
        @RegisterExtension
        final CutoverExtension own = CutoverExtension.sandbox();
        final FakeSlackApi ownSlack = own.slack();

        @Test
        void noSubscriptionAndNoDefaultChannel_postsNothing_andTheEventIsStillDone() throws Exception {
            RunningCutover withoutDefault = own.service();

            withoutDefault.simulator().createDeployRequest(DeployRequestSeed.of("analytics", "add-index", BOB, DDL));

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> withoutDefault.get("/healthz").body().contains("\"outbox\":0"));
            assertThat(ownSlack.calls("chat.postMessage")).isEmpty();
            assertThat(withoutDefault.get("/metrics").body()).containsPattern(
                    "cutover_deliveries_total\\{[^}]*outcome=\"delivered\"[^}]*} 1\\.0");
        }
    }

    @Test
    void nonAsciiTextInAWebhook_reachesSlackIntact() throws Exception {
        subscribe(channel, database);
        try (RecordingWebhookReceiver receiver = new RecordingWebhookReceiver().start()) {
            cutover.service().simulator().webhookUrl(receiver.url());
            cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "emoji-🚀-zweig", BOB, DDL)
                    .withNotes("Größe für Ümlaute 🎉"));
            ObjectNode opened = (ObjectNode) RecordingWebhookReceiver.parse(receiver.only(database, "deploy_request.opened"));

            RunningCutover.HttpResult answer = cutover.service().webhook(opened.toString().getBytes(StandardCharsets.UTF_8));

            assertThat(answer.status()).isEqualTo(200);
            FakeSlackApi.Call card = awaitPosts(channel, 1).get(0);
            assertThat(card.blocks().toString()).contains("emoji-🚀-zweig").contains("Größe für Ümlaute 🎉");
        }
    }

    // ---- helpers ----

    private void subscribe(String channel, String database, String... filters) throws Exception {
        String name = "subscribe-" + channel + "-" + database;
        String text = ("subscribe " + database + " " + String.join(" ", filters)).trim();
        cutover.service().command(ALICE, channel, text, slack.responseUrl(name));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses(name).isEmpty());
        assertThat(slack.responses(name).get(0).body().toString()).contains("subscribed this channel");
    }

    /** Moves the fake clock and lets the simulator apply what became due (its webhooks go out inline). */
    private void step(Duration duration) {
        clock.advance(duration);
        cutover.service().simulator().tick();
    }

    private List<FakeSlackApi.Call> awaitPosts(String channel, int count) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.posts(channel).size() >= count);
        return slack.posts(channel);
    }

    private List<FakeSlackApi.Call> awaitReplies(String channel, String threadTs, int count) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.replies(channel, threadTs).size() >= count);
        return slack.replies(channel, threadTs);
    }

    private void awaitOutboxEmpty() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> cutover.service().get("/healthz").body().contains("\"outbox\":0"));
    }

    private static List<FakeSlackApi.Call> callsIn(String method, String channel) {
        return slack.calls(method).stream().filter(call -> channel.equals(call.param("channel"))).toList();
    }

    private static List<FakeSlackApi.Call> postsAbout(String channel, String database) {
        return slack.posts(channel).stream().filter(post -> post.param("text").contains(database)).toList();
    }

    static List<String> actionIds(JsonNode blocks) {
        return blocks == null ? List.of() : blocks.findValuesAsText("action_id");
    }

    private static boolean isWriteAction(String actionId) {
        return !List.of("cutover:refresh", "cutover:open", "cutover:show").contains(actionId);
    }
}
