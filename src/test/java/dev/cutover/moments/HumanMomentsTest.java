package dev.cutover.moments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.sandbox.ReceivedRequest;
import dev.cutover.testing.Answers;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SlackRequests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Moments that need a human, driven by the fake clock against the sandbox: a gated deploy request blocking the
 * queue, a stuck cutover, and an ungated production deploy where the policy wants it gated. Each is told once in
 * the thread, with the button that resolves it.
 */
@Timeout(90)
class HumanMomentsTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String BOB = "U0BOB";
    static final Actor AUTHOR = new Actor("dana-okafor", "Dana Okafor");
    static final String POLICY = """
            default: allow
            rules:
              - actions: [admin]
                databases: ["*"]
                allow: [U0ALICE]
            gated_production: [shop]
            queue_blocker_after: 30m
            stuck_cutover_after: 10m
            """;

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_DEFAULT_CHANNEL", CHANNEL)
            .file("CUTOVER_POLICY_FILE", "policy.yml", POLICY);
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();
    SlackRequests requests;
    private final AtomicInteger names = new AtomicInteger();

    @BeforeEach
    void start() {
        requests = new SlackRequests(cutover.service());
    }

    @Test
    void gatedRequestPendingCutover_pastTheThreshold_saysItBlocksTheQueue_once_withApply() throws Exception {
        int blocker = create("analytics", true, false);
        int behind = create("analytics", false, false);
        deploy(ALICE, "analytics", blocker);
        advanceUntil("analytics", blocker, DeploymentState.PENDING_CUTOVER);
        deploy(BOB, "analytics", behind);
        String threadTs = awaitThread("analytics#" + blocker);
        cutover.service().cutover().checkMomentsNow();
        clock.advance(Duration.ofMinutes(20));
        cutover.service().cutover().checkMomentsNow();
        assertThat(moment(threadTs, "blocks every other deploy")).isEmpty();

        clock.advance(Duration.ofMinutes(11));
        cutover.service().cutover().checkMomentsNow();

        FakeSlackApi.Call told = awaitMoment(threadTs, "blocks every other deploy");
        assertThat(told.param("text")).contains("<@" + ALICE + ">").contains("<@" + BOB + ">")
                .contains("analytics#" + behind);
        assertThat(Cards.actionIds(told.blocks())).containsExactly(DeployAction.APPLY.actionId());
        clock.advance(Duration.ofMinutes(5));
        cutover.service().cutover().checkMomentsNow();
        assertThat(moment(threadTs, "blocks every other deploy")).hasSize(1);
    }

    @Test
    void stuckCutover_pastTheThreshold_offersForceCutover_behindTheStrongestConfirmation() throws Exception {
        int number = create("analytics", false, true);
        deploy(ALICE, "analytics", number);
        advanceUntil("analytics", number, DeploymentState.IN_PROGRESS_CUTOVER);
        String threadTs = awaitThread("analytics#" + number);
        cutover.service().cutover().checkMomentsNow();
        clock.advance(Duration.ofMinutes(11));

        cutover.service().cutover().checkMomentsNow();

        FakeSlackApi.Call told = awaitMoment(threadTs, "Force cutover");
        JsonNode button = Cards.button(told.blocks(), DeployAction.FORCE_CUTOVER.actionId()).orElseThrow();
        assertThat(button.has("confirm")).as("confirmed in a modal").isFalse();
        int views = slack.openedViews().size();
        requests.click(ALICE, CHANNEL, slack.tsOf(told), false, DeployAction.FORCE_CUTOVER.actionId(),
                button.path("value").asText(), told.blocks(), slack.responseUrl("force"));
        await().atMost(Answers.PATIENCE).until(() -> slack.openedViews().size() > views);
        JsonNode view = slack.openedViews().get(views);
        assertThat(SlackRequests.expectedName(view)).isEqualTo("analytics");
        assertThat(requests.submit(ALICE, view, "shop").body()).contains("errors");
        assertThat(writes("POST", "analytics", number, "force-cutover")).isEmpty();

        requests.submit(ALICE, view, "analytics");

        await().atMost(Answers.PATIENCE).until(() -> writes("POST", "analytics", number, "force-cutover").size() == 1);
        advanceUntil("analytics", number, DeploymentState.COMPLETE_PENDING_REVERT);
    }

    @Test
    void autoCutoverWherePolicyGatesProduction_warnsWithMakeGated_andTheButtonTurnsAutoApplyOff() throws Exception {
        int number = create("shop", false, false);
        String threadTs = awaitThread("shop#" + number);

        cutover.service().cutover().checkMomentsNow();

        FakeSlackApi.Call told = awaitMoment(threadTs, "by itself");
        JsonNode button = Cards.button(told.blocks(), DeployAction.MAKE_GATED.actionId()).orElseThrow();
        assertThat(button.path("confirm").path("text").path("text").asText()).contains("auto-apply off");
        requests.click(ALICE, CHANNEL, slack.tsOf(told), false, DeployAction.MAKE_GATED.actionId(),
                button.path("value").asText(), told.blocks(), slack.responseUrl("gate"));
        await().atMost(Answers.PATIENCE).until(() -> writes("PUT", "shop", number, "auto-apply").size() == 1);
        assertThat(writes("PUT", "shop", number, "auto-apply").get(0).body()).contains("\"enable\":false");
        int told1 = moment(threadTs, "by itself").size();
        cutover.service().cutover().checkMomentsNow();
        assertThat(moment(threadTs, "by itself")).hasSize(told1);
    }

    @Test
    void autoCutoverWherePolicyDoesNotGate_isNotWarned() throws Exception {
        int number = create("analytics", false, false);
        String threadTs = awaitThread("analytics#" + number);

        cutover.service().cutover().checkMomentsNow();

        assertThat(moment(threadTs, "by itself")).isEmpty();
    }

    // ---- Helpers ----

    private int create(String database, boolean gated, boolean stuck) {
        DeployRequestSeed seed = DeployRequestSeed.of(database, "branch-" + names.incrementAndGet(), AUTHOR,
                List.of("ALTER TABLE `events` ADD COLUMN `source` varchar(32) NULL")).withChecksDone().withApproval();
        seed = gated ? seed.gated() : seed;
        seed = stuck ? seed.stuckAtCutover() : seed;
        return cutover.service().simulator().createDeployRequest(seed);
    }

    private void deploy(String user, String database, int number) throws Exception {
        String name = "deploy-" + names.incrementAndGet();
        requests.typedWrite(slack, user, CHANNEL, "deploy " + database + " " + number, slack.responseUrl(name));
        await().atMost(Answers.PATIENCE).until(() -> writes("POST", database, number, "deploy").size() == 1);
    }

    private void advanceUntil(String database, int number, DeploymentState state) {
        for (int second = 0; second < 120 && cutover.service().simulator().stateOf(database, number) != state;
                second++) {
            clock.advance(Duration.ofSeconds(1));
            cutover.service().simulator().tick();
        }
        assertThat(cutover.service().simulator().stateOf(database, number)).isEqualTo(state);
    }

    /** The ts of the card that starts the request's thread in the channel. */
    private String awaitThread(String ref) {
        await().atMost(Answers.PATIENCE).until(() -> parent(ref) != null);
        return parent(ref);
    }

    private String parent(String ref) {
        return slack.posts(CHANNEL).stream()
                .filter(post -> post.param("thread_ts") == null && post.param("text") != null
                        && post.param("text").contains(ref))
                .map(slack::tsOf).findFirst().orElse(null);
    }

    private List<FakeSlackApi.Call> moment(String threadTs, String words) {
        return slack.replies(CHANNEL, threadTs).stream()
                .filter(reply -> reply.param("text") != null && reply.param("text").contains(words)).toList();
    }

    private FakeSlackApi.Call awaitMoment(String threadTs, String words) {
        // A pass right after the card was posted may find the thread not yet indexed: look again, as the timer would.
        await().atMost(Answers.PATIENCE).until(() -> {
            cutover.service().cutover().checkMomentsNow();
            return !moment(threadTs, words).isEmpty();
        });
        return moment(threadTs, words).get(0);
    }

    private List<ReceivedRequest> writes(String method, String database, int number, String suffix) {
        String path = "/v1/organizations/" + RunningCutover.ORG + "/databases/" + database + "/deploy-requests/"
                + number + (suffix.isEmpty() ? "" : "/" + suffix);
        return cutover.service().simulator().requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }
}
