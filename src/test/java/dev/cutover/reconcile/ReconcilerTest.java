package dev.cutover.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.Actor;
import dev.cutover.testing.Cards;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SandboxCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reconciliation over real transports: the sandbox as PlanetScale, the fake Slack, a fake clock moved one period at
 * a time (never slept on). What PlanetScale sends no webhook for, or what happened while webhooks were off, reaches
 * the card's thread within one period, once.
 */
@Timeout(60)
class ReconcilerTest {
    static final String ALICE = "U0ALICE";
    static final Actor AUTHOR = new Actor("carol", "Carol Author");
    static final Actor BOB = new Actor("bob", "Bob Reviewer");
    static final List<String> DDL = List.of("ALTER TABLE events ADD INDEX idx_created (created_at)");
    /** Short, so each lifecycle step of the sandbox (seconds apart) is seen on its own pass. */
    static final Duration PERIOD = Duration.ofSeconds(5);
    private static final AtomicInteger SCENARIOS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final CutoverExtension service = CutoverExtension.sandbox()
            .env("CUTOVER_RECONCILE_SECONDS", Long.toString(PERIOD.toSeconds()));
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
        cutover = service.service();
        sandbox = new SandboxCalls(cutover.simulator());
        int scenario = SCENARIOS.incrementAndGet();
        database = "reconciled" + scenario;
        channel = "C0RECON" + scenario;
        cutover.simulator().setDatabase(database, true);
        String name = "subscribe-" + channel;
        cutover.command(ALICE, channel, "subscribe " + database, slack.responseUrl(name));
        await().atMost(Duration.ofSeconds(15)).until(() -> !slack.responses(name).isEmpty());
    }

    @Test
    void anApprovalMadeOnlyInPlanetScale_showsOnTheCard_withinOneReconcilerPeriod() throws Exception {
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", AUTHOR, DDL));
        String threadTs = slack.tsOf(awaitPosts(1).get(0));
        step(Duration.ofSeconds(3)); // checks pass: ready (PlanetScale sends no webhook for that)
        assertThat(currentBlocks(threadTs).toString()).contains("Not approved");

        cutover.simulator().approveInDashboard(database, number, BOB); // no webhook exists for approvals
        reconcileAfter(PERIOD);

        List<String> replies = replyTexts(threadTs);
        assertThat(replies).anySatisfy(text -> assertThat(text)
                .contains(database + "#" + number + " approved by Bob Reviewer in PlanetScale")
                .contains("↻ seen in PlanetScale"));
        assertThat(currentBlocks(threadTs).toString()).contains("✅ Approved").doesNotContain("Not approved");
        assertThat(slack.posts(channel)).hasSize(1);

        reconcileAfter(PERIOD); // nothing new in PlanetScale: nothing new in Slack
        assertThat(replyTexts(threadTs)).isEqualTo(replies);
    }

    @Test
    void webhooksOffForAWholeLifecycle_theThreadStillTellsTheWholeStory_once() throws Exception {
        cutover.simulator().webhookUrl(null);
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", AUTHOR, DDL));
        reconcileAfter(PERIOD);
        String threadTs = slack.tsOf(awaitPosts(1).get(0));

        step(Duration.ofSeconds(3)); // ready
        reconcileAfter(PERIOD);
        cutover.simulator().approveInDashboard(database, number, BOB);
        sandbox.post(database, number, "deploy"); // queued, e.g. from the CLI
        reconcileAfter(PERIOD);
        step(Duration.ofSeconds(2)); // in progress
        reconcileAfter(PERIOD);
        step(Duration.ofSeconds(13)); // cutover done: schema applied, revert window open
        reconcileAfter(PERIOD);
        assertThat(Cards.actionIds(currentBlocks(threadTs))).contains("cutover:revert");
        step(Duration.ofMinutes(31)); // the revert window expires: deployed and closed
        reconcileAfter(PERIOD);
        reconcileAfter(PERIOD);

        List<String> replies = replyTexts(threadTs);
        assertThat(replies).hasSize(6);
        assertThat(replies.get(0)).contains("is now ready to deploy");
        assertThat(replies.get(1)).contains("approved by Bob Reviewer in PlanetScale");
        assertThat(replies.get(2)).contains("queued for deploy");
        assertThat(replies.get(3)).contains("is deploying");
        assertThat(replies.get(4)).contains("schema applied");
        assertThat(replies.get(5)).contains("deployed and closed");
        assertThat(replies).allSatisfy(text -> assertThat(text).contains("↻ seen in PlanetScale"));
        assertThat(slack.posts(channel)).hasSize(1);
        assertThat(writeActions(currentBlocks(threadTs))).as("the expired revert window closed the buttons").isEmpty();
    }

    @Test
    void withWebhooksOn_reconciliationAddsNothing() throws Exception {
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", AUTHOR, DDL)
                .withApproval());
        String threadTs = slack.tsOf(awaitPosts(1).get(0));
        step(Duration.ofSeconds(3));
        reconcileAfter(PERIOD); // ready: told once, by reconciliation (no webhook exists for it)
        sandbox.post(database, number, "deploy");
        step(Duration.ofSeconds(1));
        awaitReplies(threadTs, 2);
        awaitOutboxEmpty();
        List<String> before = replyTexts(threadTs);

        reconcileAfter(PERIOD);
        reconcileAfter(PERIOD);

        assertThat(replyTexts(threadTs)).isEqualTo(before);
        assertThat(before.get(1)).contains("queued").doesNotContain("↻");
    }

    @Test
    void theSameChange_seenByWebhookAndReconciler_isPostedOnce() throws Exception {
        cutover.simulator().webhookUrl(null);
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", AUTHOR, DDL)
                .withApproval());
        reconcileAfter(PERIOD);
        String threadTs = slack.tsOf(awaitPosts(1).get(0));
        step(Duration.ofSeconds(3));
        sandbox.post(database, number, "deploy");
        byte[] queuedWebhook = webhookOf("deploy_request.queued", sandbox.deployRequest(database, number));
        reconcileAfter(PERIOD); // reconciliation tells "queued" first (the webhook is late)
        int replies = replyTexts(threadTs).size();

        RunningCutover.HttpResult sameVersion = cutover.webhook(queuedWebhook);
        assertThat(sameVersion.status()).isEqualTo(200);
        assertThat(sameVersion.body()).contains("duplicate"); // same event, id and updated_at: one journal entry

        clock.advance(Duration.ofSeconds(1));
        sandbox.comment(database, number, "looks good"); // updated_at moves on, the state does not
        reconcileAfter(PERIOD);
        byte[] laterWebhook = webhookOf("deploy_request.queued", sandbox.deployRequest(database, number));
        assertThat(cutover.webhook(laterWebhook).body()).contains("accepted"); // another key: the card writer decides
        cutover.cutover().deliverNow();
        awaitOutboxEmpty();

        assertThat(replyTexts(threadTs)).hasSize(replies);
        assertThat(replyTexts(threadTs).stream().filter(text -> text.contains("queued"))).hasSize(1);
    }

    @Test
    void a429FromPlanetScale_slowsTheReconcilerDown_withoutHurtingCommands() throws Exception {
        int number = cutover.simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", AUTHOR, DDL));
        awaitPosts(1);
        reconcileAfter(PERIOD);
        Reconciler reconciler = cutover.cutover().reconciler();
        assertThat(reconciler.lastPass().orElseThrow().problem()).isEmpty();

        cutover.simulator().failNext(429, "{\"code\":\"rate_limited\",\"message\":\"Too many requests\"}");
        reconcileAfter(PERIOD);
        assertThat(reconciler.lastPass().orElseThrow().problem().orElseThrow()).contains("rate limited");
        assertThat(reconciler.nextPassAt()).isEqualTo(clock.instant().plus(PERIOD.multipliedBy(2)));
        int requests = cutover.simulator().requests().size();

        clock.advance(PERIOD);
        assertThat(cutover.cutover().reconcileDue()).as("backed off: no pass one period later").isFalse();
        assertThat(cutover.simulator().requests()).as("no call to PlanetScale while backed off").hasSize(requests);
        cutover.command(ALICE, channel, "show " + database + " " + number, slack.responseUrl("show"));
        await().atMost(Duration.ofSeconds(15)).until(() -> !slack.responses("show").isEmpty());
        assertThat(slack.responses("show").get(0).body().toString()).contains(database + "#" + number);

        clock.advance(PERIOD);
        assertThat(cutover.cutover().reconcileDue()).isTrue();
        assertThat(reconciler.lastPass().orElseThrow().problem()).isEmpty();
        assertThat(reconciler.nextPassAt()).isEqualTo(clock.instant().plus(PERIOD));
    }

    // --- helpers ---

    /** Moves the clock one period and runs the pass that is then due, delivering what it found. */
    private void reconcileAfter(Duration period) {
        clock.advance(period);
        assertThat(cutover.cutover().reconcileDue()).as("a pass was due").isTrue();
        awaitOutboxEmpty();
    }

    private void step(Duration duration) {
        clock.advance(duration);
        cutover.simulator().tick();
    }

    private byte[] webhookOf(String event, JsonNode resource) throws Exception {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("timestamp", clock.instant().getEpochSecond());
        envelope.put("event", event);
        envelope.put("organization", cutover.cutover().organization());
        envelope.put("database", database);
        envelope.set("resource", resource);
        return JSON.writeValueAsString(envelope).getBytes(StandardCharsets.UTF_8);
    }

    private List<String> replyTexts(String threadTs) {
        return slack.replies(channel, threadTs).stream().map(call -> call.param("text")).toList();
    }

    private JsonNode currentBlocks(String ts) {
        return slack.lastUpdate(channel, ts).map(FakeSlackApi.Call::blocks)
                .orElseGet(() -> slack.posts(channel).stream().filter(c -> ts.equals(slack.tsOf(c))).findFirst()
                        .orElseThrow().blocks());
    }

    private List<FakeSlackApi.Call> awaitPosts(int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> slack.posts(channel).size() >= count);
        return slack.posts(channel);
    }

    private void awaitReplies(String threadTs, int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> slack.replies(channel, threadTs).size() >= count);
    }

    private void awaitOutboxEmpty() {
        await().atMost(Duration.ofSeconds(15)).until(() -> cutover.get("/healthz").body().contains("\"outbox\":0"));
    }

    static List<String> writeActions(JsonNode blocks) {
        return Cards.actionIds(blocks).stream()
                .filter(id -> !List.of("cutover:refresh", "cutover:open", "cutover:show").contains(id)).toList();
    }
}
