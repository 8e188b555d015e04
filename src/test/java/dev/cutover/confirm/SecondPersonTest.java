package dev.cutover.confirm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployAction;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code require_second_person: [destructive_deploy]} over real HTTP against the sandbox: the first person's
 * confirmed deploy becomes a pending request in the thread; only a different, authorised person carries it out, before
 * it expires; both are named.
 */
@Timeout(60)
class SecondPersonTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String BOB = "U0BOB";
    static final String CAROL = "U0CAROL";
    static final String POLICY = """
            default: allow
            rules:
              - actions: [deploy]
                databases: [shop]
                allow: [U0ALICE, U0BOB]
            require_second_person: [destructive_deploy]
            second_person_expiry: 10m
            """;

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_DEFAULT_CHANNEL", CHANNEL)
            .file("CUTOVER_POLICY_FILE", "policy.yml", POLICY);
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();
    SlackRequests requests;
    int number;
    String threadTs;

    @BeforeEach
    void openADeployRequestThatDropsAColumn() {
        requests = new SlackRequests(cutover.service());
        number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of("shop", "drop-sku",
                new Actor("dana-okafor", "Dana Okafor"), List.of("ALTER TABLE `products` DROP COLUMN `legacy_sku`"))
                .withApproval().withChecksDone());
        await().atMost(Answers.PATIENCE).until(() -> parent() != null);
        threadTs = parent();
    }

    @Test
    void confirmedDestructiveDeploy_waitsForASecondPerson_andDoesNothingYet() throws Exception {
        FakeSlackApi.Call request = ask(ALICE);

        assertThat(request.param("text")).contains("<@" + ALICE + ">").contains("wants to deploy shop#" + number)
                .contains("can drop data");
        assertThat(Cards.actionIds(request.blocks())).containsExactly(SecondPerson.ACTION_ID);
        await().atMost(Answers.PATIENCE).until(() -> Answers.atLeast(slack, "alice", 1).stream()
                .anyMatch(r -> Cards.text(r.body()).contains("a second person must confirm")));
        assertThat(deploys()).isEmpty();
    }

    @Test
    void theRequesterPressingTheirOwnRequest_isRefused() throws Exception {
        FakeSlackApi.Call request = ask(ALICE);

        press(ALICE, request, "alice-again");

        await().atMost(Answers.PATIENCE).until(() -> Answers.atLeast(slack, "alice-again", 1).stream()
                .anyMatch(r -> Cards.text(r.body()).contains("a different person must confirm")));
        assertThat(deploys()).isEmpty();
    }

    @Test
    void aPersonThePolicyDoesNotAllow_cannotBeTheSecond() throws Exception {
        FakeSlackApi.Call request = ask(ALICE);

        press(CAROL, request, "carol");

        await().atMost(Answers.PATIENCE).until(() -> Answers.atLeast(slack, "carol", 1).stream()
                .anyMatch(r -> Cards.text(r.body()).contains("not allowed")));
        assertThat(deploys()).isEmpty();
    }

    @Test
    void aDifferentAllowedPerson_carriesItOut_once_andBothAreNamed() throws Exception {
        FakeSlackApi.Call request = ask(ALICE);

        press(BOB, request, "bob");

        await().atMost(Answers.PATIENCE).until(() -> deploys().size() == 1);
        await().atMost(Answers.PATIENCE).until(() -> slack.lastUpdate(CHANNEL, slack.tsOf(request))
                .map(update -> update.blocks().toString()).orElse("").contains("second person: <@" + BOB + ">"));
        assertThat(slack.lastUpdate(CHANNEL, slack.tsOf(request)).orElseThrow().blocks().toString())
                .contains("<@" + ALICE + "> queued shop#" + number);
        press(BOB, request, "bob-again");
        await().atMost(Answers.PATIENCE).until(() -> Answers.atLeast(slack, "bob-again", 1).stream()
                .anyMatch(r -> Cards.text(r.body()).contains("already confirmed")));
        assertThat(deploys()).hasSize(1);
    }

    @Test
    void aRequestNobodyConfirmsInTime_expires_andNothingIsDone() throws Exception {
        FakeSlackApi.Call request = ask(ALICE);
        clock.advance(Duration.ofMinutes(11));

        press(BOB, request, "bob-late");

        await().atMost(Answers.PATIENCE).until(() -> Answers.atLeast(slack, "bob-late", 1).stream()
                .anyMatch(r -> Cards.text(r.body()).contains("expired")));
        await().atMost(Answers.PATIENCE).until(() -> slack.lastUpdate(CHANNEL, slack.tsOf(request))
                .map(update -> update.blocks().toString()).orElse("").contains("expired"));
        assertThat(deploys()).isEmpty();
    }

    // ---- Helpers ----

    /** {@code user} presses Deploy on the thread's card and confirms the modal; returns the request posted. */
    private FakeSlackApi.Call ask(String user) throws Exception {
        // The thread's card was posted while checks ran (no Deploy yet): press it on a fresh private card instead.
        requests.command(user, CHANNEL, "show shop " + number, slack.responseUrl("show-" + user));
        JsonNode card = Answers.first(slack, "show-" + user).path("blocks");
        JsonNode deploy = Cards.button(card, DeployAction.DEPLOY.actionId()).orElseThrow();
        int views = slack.calls("views.open").size();
        requests.click(user, CHANNEL, null, true, DeployAction.DEPLOY.actionId(), deploy.path("value").asText(),
                card, slack.responseUrl(user.equals(ALICE) ? "alice" : user.toLowerCase()));
        requests.submitModal(slack, user, views);
        await().atMost(Answers.PATIENCE).until(() -> !pending().isEmpty());
        return pending().get(0);
    }

    private void press(String user, FakeSlackApi.Call request, String responseName) throws Exception {
        JsonNode button = Cards.button(request.blocks(), SecondPerson.ACTION_ID).orElseThrow();
        requests.click(user, CHANNEL, slack.tsOf(request), false, SecondPerson.ACTION_ID, button.path("value").asText(),
                request.blocks(), slack.responseUrl(responseName));
    }

    private List<FakeSlackApi.Call> pending() {
        return slack.replies(CHANNEL, threadTs).stream()
                .filter(reply -> reply.param("text") != null && reply.param("text").contains("second person")).toList();
    }

    private String parent() {
        return slack.posts(CHANNEL).stream()
                .filter(post -> post.param("thread_ts") == null && post.param("text") != null
                        && post.param("text").contains("shop#" + number))
                .map(slack::tsOf).findFirst().orElse(null);
    }

    private List<ReceivedRequest> deploys() {
        String path = "/v1/organizations/" + RunningCutover.ORG + "/databases/shop/deploy-requests/" + number
                + "/deploy";
        return cutover.service().simulator().requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals(path)).toList();
    }
}
