package dev.cutover.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.testing.Answers;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SandboxCalls;
import dev.cutover.testing.SlackRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The card has one writer: clicks (on the card or on a thread reply), webhooks and restarts all leave it telling
 * one story — who did what through Cutover — and nothing stale stays clickable anywhere in its thread. Over HTTP
 * against the whole service in sandbox mode, as a user would see it in Slack.
 */
@Timeout(60)
class CardStoryTest {
    static final String ALICE = "U0ALICE";
    static final Actor BOB = new Actor("bob", "Bob Builder");
    static final List<String> DDL = List.of("ALTER TABLE events ADD INDEX idx_created (created_at)");
    private static final AtomicInteger SCENARIOS = new AtomicInteger();

    @RegisterExtension
    final CutoverExtension service = CutoverExtension.sandbox()
            .afterStart(started -> started.simulator().webhookUrl(started.url("/webhooks/planetscale")));
    FakeSlackApi slack;
    FakeClock clock;
    RunningCutover cutover;
    SandboxCalls sandbox;
    String database;
    String channel;

    @BeforeEach
    void start() throws Exception {
        slack = service.slack();
        clock = service.clock();
        useService(service.service());
        int scenario = SCENARIOS.incrementAndGet();
        database = "shop" + scenario;
        channel = "C0STORY" + scenario;
        cutover.simulator().setDatabase(database, false);
        clock.advance(Duration.ofMinutes(1));
        subscribe();
    }

    @Test
    void skipRevertOnTheWebhookCard_thenClosedWebhook_cardSaysWhoSkipped_andNothingStaleIsClickable() throws Exception {
        int number = deployIntoRevertWindow();
        String threadTs = slack.tsOf(slack.posts(channel).get(0));
        JsonNode card = currentBlocks(threadTs);

        click(threadTs, "cutover:skip_revert", card); // on the parent card, posted by a webhook
        awaitReplies(threadTs, 4); // queued, in progress, schema applied, closed

        JsonNode finalCard = currentBlocks(threadTs);
        assertThat(finalCard.toString()).contains("Deployed").contains("request closed")
                .contains("<@" + ALICE + "> skipped the revert window of " + database + "#" + number);
        assertThat(writeActions(finalCard)).isEmpty();
        String closedReply = slack.replies(channel, threadTs).get(3).param("text");
        assertThat(closedReply).contains("deployed and closed").contains("by <@" + ALICE + "> via Cutover");
        assertNoStaleButtonsInThread(threadTs);
        assertThat(slack.posts(channel)).hasSize(1);
    }

    @Test
    void skipRevertInAThreadReply_updatesTheParentCard_andRetiresThatReplysButtons() throws Exception {
        int number = deployIntoRevertWindow();
        String threadTs = slack.tsOf(slack.posts(channel).get(0));
        FakeSlackApi.Call schemaApplied = slack.replies(channel, threadTs).get(2);
        String replyTs = slack.tsOf(schemaApplied);
        assertThat(writeActions(schemaApplied.blocks())).contains("cutover:skip_revert");

        click(replyTs, "cutover:skip_revert", schemaApplied.blocks());
        awaitReplies(threadTs, 4);

        JsonNode reply = currentBlocks(replyTs);
        assertThat(reply.toString()).contains("schema applied")
                .contains("<@" + ALICE + "> skipped the revert window of " + database + "#" + number);
        assertThat(Cards.actionIds(reply)).isEmpty();
        JsonNode parent = currentBlocks(threadTs);
        assertThat(parent.toString()).contains("request closed").contains("skipped the revert window");
        assertThat(parent.findValues("type").stream().map(JsonNode::asText).filter("header"::equals)).hasSize(1);
        assertNoStaleButtonsInThread(threadTs);
        assertThat(slack.posts(channel)).hasSize(1); // the reply was not turned into a second card
    }

    @Test
    void whenTheCardMovesOn_earlierRepliesLoseTheirButtons() throws Exception {
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL)
                .gated());
        String threadTs = slack.tsOf(awaitPosts(1).get(0));
        step(Duration.ofSeconds(3));
        sandbox.post(database, number, "deploy");
        step(Duration.ofSeconds(2));
        step(Duration.ofSeconds(10)); // pending cutover: the reply offers Apply
        String pendingTs = slack.tsOf(awaitReplies(threadTs, 3).get(2));
        assertThat(writeActions(currentBlocks(pendingTs))).contains("cutover:apply");

        sandbox.post(database, number, "apply-deploy");
        step(Duration.ofSeconds(3)); // schema applied
        awaitReplies(threadTs, 4);
        awaitOutboxEmpty();

        assertThat(Cards.actionIds(currentBlocks(pendingTs))).isEmpty();
        assertThat(currentBlocks(pendingTs).toString()).contains("ready to apply");
        assertNoStaleButtonsInThread(threadTs);
    }

    @Test
    void aTypedDeploy_updatesTheThreadsCard_andItsHistorySurvivesARestart() throws Exception {
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        String threadTs = slack.tsOf(awaitPosts(1).get(0));
        step(Duration.ofSeconds(3));

        new SlackRequests(cutover).typedWrite(slack, ALICE, channel, "deploy " + database + " " + number,
                slack.responseUrl("typed-deploy"));
        awaitReplies(threadTs, 1); // queued, credited to Alice
        awaitOutboxEmpty();
        String line = "<@" + ALICE + "> queued " + database + "#" + number + " for deploy";
        assertThat(currentBlocks(threadTs).toString()).contains(line);
        assertThat(slack.replies(channel, threadTs).get(0).param("text")).contains("by <@" + ALICE + "> via Cutover");

        useService(service.restart()); // same data directory; a new simulator, whose deploy request #1 is the same thread's
        cutover.simulator().setDatabase(database, false);
        assertThat(cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL)))
                .isEqualTo(number);
        awaitReplies(threadTs, 2); // "opened" again: the card is re-rendered by a webhook after the restart
        awaitOutboxEmpty();

        assertThat(currentBlocks(threadTs).toString()).contains(line);
        assertThat(slack.posts(channel)).hasSize(1);
    }

    @Test
    void aTypedDeployInAFollowingChannel_answersTheTyperPrivately_andTheChannelKeepsOneCard() throws Exception {
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        String threadTs = slack.tsOf(awaitPosts(1).get(0));
        step(Duration.ofSeconds(3));

        new SlackRequests(cutover).typedWrite(slack, ALICE, channel, "deploy " + database + " " + number,
                slack.responseUrl("one-trace"));
        awaitReplies(threadTs, 1);
        awaitOutboxEmpty();

        JsonNode answer = Answers.nth(slack, "one-trace", 2); // after the confirm step
        assertThat(answer.path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(Cards.text(answer.path("blocks"))).contains(database + " #" + number);
        assertThat(slack.posts(channel)).hasSize(1);
        assertThat(slack.replies(channel, threadTs)).singleElement()
                .satisfies(reply -> assertThat(reply.param("text")).contains("by <@" + ALICE + "> via Cutover"));
    }

    @Test
    void aTypedComment_showsItsTextInTheThread_creditedToWhoever() throws Exception {
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        String threadTs = slack.tsOf(awaitPosts(1).get(0));

        cutover.command(ALICE, channel, "comment " + database + " " + number + " Needs an index on created_at too",
                slack.responseUrl("comment"));

        List<FakeSlackApi.Call> replies = awaitReplies(threadTs, 1);
        assertThat(replies.get(0).param("text")).contains("<@" + ALICE + "> commented on " + database + "#" + number)
                .contains("Needs an index on created_at too");
        assertThat(Answers.first(slack, "comment").path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(slack.posts(channel)).hasSize(1);
    }

    @Test
    void aTypedApproveBeforeAnyThread_startsTheThreadWithTheCard_once() throws Exception {
        String elsewhere = "C0NOTFOLLOWING" + SCENARIOS.get();
        String quiet = database + "q";
        cutover.simulator().setDatabase(quiet, true);
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(quiet, "add-index", BOB, DDL)
                .withChecksDone());
        awaitOutboxEmpty(); // nobody follows it yet: no card anywhere
        cutover.command(ALICE, channel, "subscribe " + quiet, slack.responseUrl("subscribe-quiet"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !slack.responses("subscribe-quiet").isEmpty());
        int postsBefore = slack.posts(channel).size();

        new SlackRequests(cutover).typedWrite(slack, ALICE, channel, "approve " + quiet + " " + number,
                slack.responseUrl("approve"));
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.posts(channel).size() > postsBefore);

        assertThat(Answers.first(slack, "approve").path("response_type").asText()).isEqualTo("ephemeral");
        List<FakeSlackApi.Call> posts = slack.posts(channel);
        assertThat(posts).hasSize(postsBefore + 1);
        assertThat(Cards.text(posts.get(posts.size() - 1).blocks())).contains("<@" + ALICE + "> approved " + quiet
                + "#" + number);

        // In a channel that does not follow the database, the command's answer is the one public trace.
        cutover.command(ALICE, elsewhere, "comment " + quiet + " " + number + " looks good", slack.responseUrl("else"));
        assertThat(Answers.first(slack, "else").path("response_type").asText()).isEqualTo("in_channel");
        assertThat(slack.posts(elsewhere)).isEmpty();
    }

    // --- steps a user takes, and what Slack shows ---

    private void useService(RunningCutover running) {
        cutover = running;
        sandbox = new SandboxCalls(running.simulator());
    }

    /** Opens a deploy request and deploys it without a gate, up to its open revert window (three replies). */
    private int deployIntoRevertWindow() throws Exception {
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        String threadTs = slack.tsOf(awaitPosts(1).get(0));
        step(Duration.ofSeconds(3));
        sandbox.post(database, number, "deploy");
        step(Duration.ofSeconds(2)); // in progress
        step(Duration.ofSeconds(10)); // cutover starts
        step(Duration.ofSeconds(3)); // schema applied: revert window open
        awaitReplies(threadTs, 3);
        awaitOutboxEmpty();
        return number;
    }

    private void subscribe() throws Exception {
        String name = "subscribe-" + channel;
        cutover.command(ALICE, channel, "subscribe " + database, slack.responseUrl(name));
        await().atMost(Duration.ofSeconds(5)).until(() -> !slack.responses(name).isEmpty());
    }

    private void click(String messageTs, String actionId, JsonNode blocks) throws Exception {
        String value = Cards.button(blocks, actionId).orElseThrow().get("value").asText();
        String answers = "click-" + messageTs + "-" + actionId;
        int updatesBefore = slack.calls("chat.update").size();
        int views = slack.calls("views.open").size();
        cutover.click(ALICE, channel, messageTs, false, actionId, value, blocks, slack.responseUrl(answers));
        if (!Cards.button(blocks, actionId).orElseThrow().has("confirm")) {
            new SlackRequests(cutover).submitModal(slack, ALICE, views); // revert, skip revert: confirmed in a modal
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.calls("chat.update").size() > updatesBefore);
        cutover.simulator().tick();
        awaitOutboxEmpty();
    }

    private void step(Duration duration) {
        clock.advance(duration);
        cutover.simulator().tick();
    }

    /** A message as Slack shows it now: its last update, else what was posted. */
    private JsonNode currentBlocks(String ts) {
        return slack.lastUpdate(channel, ts).map(FakeSlackApi.Call::blocks).orElseGet(() -> {
            List<FakeSlackApi.Call> all = new ArrayList<>(slack.posts(channel));
            all.addAll(slack.calls("chat.postMessage").stream().filter(c -> channel.equals(c.param("channel")))
                    .toList());
            return all.stream().filter(c -> ts.equals(slack.tsOf(c))).findFirst().orElseThrow().blocks();
        });
    }

    /** Only the newest message of the thread may offer write buttons, and only those its state allows. */
    private void assertNoStaleButtonsInThread(String threadTs) {
        List<FakeSlackApi.Call> replies = slack.replies(channel, threadTs);
        for (int i = 0; i < replies.size() - 1; i++) {
            assertThat(writeActions(currentBlocks(slack.tsOf(replies.get(i)))))
                    .as("reply %d: %s", i, replies.get(i).param("text")).isEmpty();
        }
    }

    private List<FakeSlackApi.Call> awaitPosts(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.posts(channel).size() >= count);
        return slack.posts(channel);
    }

    private List<FakeSlackApi.Call> awaitReplies(String threadTs, int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> slack.replies(channel, threadTs).size() >= count);
        return slack.replies(channel, threadTs);
    }

    private void awaitOutboxEmpty() {
        await().atMost(Duration.ofSeconds(5)).until(() -> cutover.get("/healthz").body().contains("\"outbox\":0"));
    }

    private static List<String> writeActions(JsonNode blocks) {
        return Cards.actionIds(blocks).stream()
                .filter(id -> !List.of("cutover:refresh", "cutover:open", "cutover:show").contains(id)).toList();
    }
}
