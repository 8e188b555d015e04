package dev.cutover.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.deploy.Actor;
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
 * Every {@code /pscale} sub-command over real HTTP against the whole service and the sandbox: what the person
 * reads, and for writes the one PlanetScale call it made. Demo data: shop (approval required) #1 deployed and
 * closed, #2 ready but unapproved, #3 approved and instant-eligible; analytics #1 checking, #2 failed lint.
 */
@Timeout(60)
class SlashCommandTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final Actor BOB = new Actor("bob-builder", "Bob Builder");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();
    SlackRequests requests;
    private final AtomicInteger answers = new AtomicInteger();

    @BeforeEach
    void start() {
        requests = new SlackRequests(cutover.service());
    }

    // ---- Reads ----

    @Test
    void bareCommand_answersWithHelpInTheAck() throws Exception {
        RunningCutover.HttpResult ack = requests.command(ALICE, CHANNEL, null, slack.responseUrl("help"));

        assertThat(ack.status()).isEqualTo(200);
        assertThat(ackText(ack)).contains("Cutover — PlanetScale deploy requests in Slack").contains("/pscale deploy");
        assertThat(cutover.service().simulator().requests()).isEmpty();
    }

    @Test
    void help_listsEverySubCommand() throws Exception {
        String help = ackText(requests.command(ALICE, CHANNEL, "dr help", slack.responseUrl("help")));

        for (String verb : List.of("list", "show", "queue", "approve", "comment", "deploy", "apply", "cancel",
                "close", "revert", "skip-revert", "subscribe", "unsubscribe", "subscriptions")) {
            assertThat(help).contains("/pscale " + verb);
        }
    }

    @Test
    void list_withoutDatabaseOrChannelDefault_listsOpenRequestsAcrossAllDatabases() throws Exception {
        String answer = answer("list");

        assertThat(answer).contains("Open deploy requests in " + RunningCutover.ORG)
                .contains("shop#2", "shop#3", "analytics#1", "analytics#2").doesNotContain("shop#1");
    }

    @Test
    void list_stateClosed_showsOnlyClosedRequestsOfThatDatabase() throws Exception {
        String answer = answer("deploy-request list shop --state closed");

        assertThat(answer).contains("Closed deploy requests in shop").contains("shop#1")
                .doesNotContain("shop#2", "analytics#");
    }

    @Test
    void list_stateAll_showsOpenAndClosed() throws Exception {
        String answer = answer("list shop --state=all");

        assertThat(answer).contains("All deploy requests in shop").contains("shop#1", "shop#2", "shop#3");
    }

    @Test
    void list_withoutDatabase_usesTheChannelsOnlySubscription() throws Exception {
        answer("subscribe analytics");

        String answer = answer("list");

        assertThat(answer).contains("Open deploy requests in analytics").contains("analytics#1")
                .doesNotContain("shop#");
    }

    @Test
    void show_databaseAndNumber_answersWithTheCardAndItsButtons() throws Exception {
        JsonNode body = answerBody("show shop 3");

        assertThat(Cards.text(body.path("blocks"))).contains("shop #3: product-badges → main");
        assertThat(Cards.actionIds(body.path("blocks"))).contains("cutover:deploy", "cutover:deploy_instant");
        assertThat(body.path("response_type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void show_hashForm_answersWithThatCard() throws Exception {
        assertThat(answer("show analytics#2")).contains("analytics #2: event-log → main");
    }

    @Test
    void show_planetScaleUrl_answersWithThatCard() throws Exception {
        String answer = answer("dr show <https://app.planetscale.com/" + RunningCutover.ORG
                + "/shop/deploy-requests/2|shop#2>");

        assertThat(answer).contains("shop #2: orders-by-customer → main");
    }

    @Test
    void show_urlOfAnotherOrganization_isRefusedWithoutCallingPlanetScale() throws Exception {
        RunningCutover.HttpResult ack = requests.command(ALICE, CHANNEL,
                "show https://app.planetscale.com/other-org/shop/deploy-requests/2", slack.responseUrl("x"));

        assertThat(ackText(ack)).contains("other-org").contains(RunningCutover.ORG);
        assertThat(cutover.service().simulator().requests()).isEmpty();
    }

    @Test
    void show_missingDeployRequest_saysItWasNotFound() throws Exception {
        assertThat(answer("show shop 99")).contains("No deploy request shop#99");
    }

    @Test
    void queue_listsWhatIsQueuedInThatDatabase() throws Exception {
        int number = readyRequest("analytics", false);
        answer("deploy analytics " + number);

        String answer = answer("queue analytics");

        assertThat(answer).contains("Deploy queue of analytics").contains("analytics#" + number);
    }

    @Test
    void queue_ofAnIdleDatabase_saysItIsEmpty() throws Exception {
        assertThat(answer("queue shop")).contains("Deploy queue of shop").contains("None right now");
    }

    // ---- Writes: the answer, and exactly one PlanetScale call ----

    @Test
    void approve_sendsOneApprovedReviewCarryingTheSlackUsersNameAndComment() throws Exception {
        JsonNode body = answerBody("approve shop 2 ship it");

        List<ReceivedRequest> reviews = writes("POST", "shop", 2, "reviews");
        assertThat(reviews).hasSize(1);
        JsonNode review = JSON.readTree(reviews.get(0).body());
        assertThat(review.path("state").asText()).isEqualTo("approved");
        assertThat(review.path("body").asText()).startsWith("ship it").contains("u0alice").contains(ALICE);
        assertThat(Cards.text(body)).contains("<@" + ALICE + "> approved shop#2");
        assertThat(body.path("response_type").asText()).isEqualTo("in_channel");
    }

    @Test
    void comment_sendsOneCommentedReviewWithTheText() throws Exception {
        String answer = answer("comment shop#2 Please add an index");

        List<ReceivedRequest> reviews = writes("POST", "shop", 2, "reviews");
        assertThat(reviews).hasSize(1);
        JsonNode review = JSON.readTree(reviews.get(0).body());
        assertThat(review.path("state").asText()).isEqualTo("commented");
        assertThat(review.path("body").asText()).startsWith("Please add an index").contains("u0alice");
        assertThat(answer).contains("<@" + ALICE + "> commented on shop#2");
    }

    @Test
    void deploy_queuesOnceWithoutInstantDdl() throws Exception {
        String answer = answer("deploy shop 3");

        List<ReceivedRequest> deploys = writes("POST", "shop", 3, "deploy");
        assertThat(deploys).hasSize(1);
        assertThat(JSON.readTree(deploys.get(0).body()).path("instant_ddl").asBoolean(true)).isFalse();
        assertThat(answer).contains("<@" + ALICE + "> queued shop#3 for deploy");
        assertThat(cutover.service().simulator().stateOf("shop", 3)).isEqualTo(DeploymentState.QUEUED);
    }

    @Test
    void deployInstant_sendsInstantDdlTrue() throws Exception {
        String answer = answer("deploy shop#3 --instant");

        List<ReceivedRequest> deploys = writes("POST", "shop", 3, "deploy");
        assertThat(deploys).hasSize(1);
        assertThat(JSON.readTree(deploys.get(0).body()).path("instant_ddl").asBoolean(false)).isTrue();
        assertThat(answer).contains("<@" + ALICE + "> deployed shop#3 instantly");
    }

    @Test
    void deploy_ofAnUnapprovedRequest_explainsAndCallsNothing() throws Exception {
        String answer = answer("deploy shop 2");

        assertThat(answer).contains("shop#2 needs an approval");
        assertThat(cutover.service().simulator().requests()).noneMatch(r -> !r.method().equals("GET"));
    }

    @Test
    void apply_cutsOverAGatedDeployOnce() throws Exception {
        int number = readyRequest("analytics", true);
        answer("deploy analytics " + number);
        advanceUntil("analytics", number, DeploymentState.PENDING_CUTOVER);

        String answer = answer("apply analytics " + number);

        assertThat(writes("POST", "analytics", number, "apply-deploy")).hasSize(1);
        assertThat(answer).contains("<@" + ALICE + "> applied the changes of analytics#" + number);
    }

    @Test
    void cancel_stopsAQueuedDeployOnce() throws Exception {
        int number = readyRequest("analytics", false);
        answer("deploy analytics " + number);

        String answer = answer("cancel analytics#" + number);

        assertThat(writes("POST", "analytics", number, "cancel")).hasSize(1);
        assertThat(answer).contains("<@" + ALICE + "> cancelled the deploy of analytics#" + number);
    }

    @Test
    void close_patchesTheRequestClosedOnce() throws Exception {
        String answer = answer("close shop 2");

        List<ReceivedRequest> patches = writes("PATCH", "shop", 2, "");
        assertThat(patches).hasSize(1);
        assertThat(JSON.readTree(patches.get(0).body()).path("state").asText()).isEqualTo("closed");
        assertThat(answer).contains("<@" + ALICE + "> closed shop#2");
        assertThat(cutover.service().simulator().isOpen("shop", 2)).isFalse();
    }

    @Test
    void revert_startsARevertInTheRevertWindowOnce() throws Exception {
        int number = deployedRequest();

        String answer = answer("revert analytics " + number);

        assertThat(writes("POST", "analytics", number, "revert")).hasSize(1);
        assertThat(answer).contains("<@" + ALICE + "> started a revert of analytics#" + number);
    }

    @Test
    void skipRevert_endsTheRevertWindowOnce() throws Exception {
        int number = deployedRequest();

        String answer = answer("skip-revert analytics " + number);

        assertThat(writes("POST", "analytics", number, "skip-revert")).hasSize(1);
        assertThat(answer).contains("<@" + ALICE + "> skipped the revert window of analytics#" + number);
    }

    // ---- #n and the channel's database ----

    @Test
    void hashNumber_inAChannelSubscribedToOneDatabase_meansThatDatabase() throws Exception {
        answer("subscribe shop");

        String answer = answer("show #3");

        assertThat(answer).contains("shop #3: product-badges → main");
    }

    @Test
    void hashNumber_inAChannelWithoutSubscriptions_asksWhichDatabase() throws Exception {
        String answer = answer("deploy #3");

        assertThat(answer).contains("Which database for #3?").contains("follows no database");
        assertThat(cutover.service().simulator().requests()).noneMatch(r -> !r.method().equals("GET"));
    }

    @Test
    void hashNumber_inAChannelWithSeveralSubscriptions_asksWhichDatabase() throws Exception {
        answer("subscribe shop");
        answer("subscribe analytics");

        String answer = answer("deploy #3");

        assertThat(answer).contains("Which database for #3?").contains("follows 2 databases");
        assertThat(cutover.service().simulator().requests()).noneMatch(r -> !r.method().equals("GET"));
    }

    // ---- Subscriptions ----

    @Test
    void subscribe_thenSubscriptions_thenUnsubscribe() throws Exception {
        String subscribed = answer("subscribe analytics deploys branches");
        String listed = answer("subscriptions");
        String unsubscribed = answer("unsubscribe");
        String afterwards = answer("subscriptions");

        assertThat(subscribed).contains("<@" + ALICE + "> subscribed this channel to *analytics* (branches, deploys)");
        assertThat(listed).contains("This channel follows:").contains("*analytics* — branches, deploys");
        assertThat(unsubscribed).contains("<@" + ALICE + "> unsubscribed this channel from *analytics*");
        assertThat(afterwards).contains("This channel follows no database");
    }

    // ---- Text that cannot be read: a short usage answer in the ack, nothing sent to PlanetScale ----

    @Test
    void deploy_withoutTarget_asksWhichDeployRequest() throws Exception {
        assertUsage("deploy", "Which deploy request? e.g. `/pscale deploy shop#7`.");
    }

    @Test
    void comment_withoutText_asksWhatItShouldSay() throws Exception {
        assertUsage("comment shop 2", "What should the comment say?");
    }

    @Test
    void show_withBadNumber_saysItIsNotANumber() throws Exception {
        assertUsage("show shop abc", "`abc` is not a deploy request number");
    }

    @Test
    void approve_withNumberZero_saysItIsNotANumber() throws Exception {
        assertUsage("approve shop#0", "`0` is not a deploy request number");
    }

    @Test
    void unknownCommand_pointsAtHelp() throws Exception {
        assertUsage("frobnicate shop", "I don't know the command `frobnicate`");
    }

    @Test
    void unknownDatabase_namesTheDatabasesTheTokenSees_sameWordsForShowAndList() throws Exception {
        assertThat(answer("show shpo 2")).contains("No database `shpo` that the service token can see")
                .contains("It sees: `analytics`, `shop`");
        assertThat(answer("list nosuchdb")).contains("No database `nosuchdb` that the service token can see")
                .contains("It sees: `analytics`, `shop`");
    }

    @Test
    void mistypedCommand_suggestsTheNearestWithItsUsage() throws Exception {
        assertUsage("lsit shop", "I don't know the command `lsit`. Did you mean `/pscale list`?\nUsage: `/pscale list");
    }

    @Test
    void deploy_withUnknownFlag_namesTheFlag() throws Exception {
        assertUsage("deploy shop 3 --force", "Unknown option `--force`");
    }

    // ---- Helpers ----

    private void assertUsage(String text, String expected) throws Exception {
        RunningCutover.HttpResult ack = requests.command(ALICE, CHANNEL, text, slack.responseUrl("usage"));

        assertThat(ack.status()).isEqualTo(200);
        assertThat(ackText(ack)).contains(expected);
        assertThat(ack.took()).isLessThan(Duration.ofSeconds(1));
        assertThat(cutover.service().simulator().requests()).isEmpty();
        assertThat(slack.responses("usage")).isEmpty();
    }

    /** Sends the command, checks the empty ack, and returns every word of the answer that follows. */
    private String answer(String text) throws Exception {
        return Cards.text(answerBody(text));
    }

    private JsonNode answerBody(String text) throws Exception {
        String name = "answer-" + answers.incrementAndGet();
        if (SlackRequests.isWrite(text)) {
            return requests.write(slack, ALICE, CHANNEL, text, slack.responseUrl(name));
        }
        RunningCutover.HttpResult ack = requests.command(ALICE, CHANNEL, text, slack.responseUrl(name));
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.body()).isEmpty();
        return Answers.first(slack, name);
    }

    private static String ackText(RunningCutover.HttpResult ack) throws Exception {
        return Cards.text(JSON.readTree(ack.body()));
    }

    private List<ReceivedRequest> writes(String method, String database, int number, String suffix) {
        String path = "/v1/organizations/" + RunningCutover.ORG + "/databases/" + database + "/deploy-requests/"
                + number + (suffix.isEmpty() ? "" : "/" + suffix);
        return cutover.service().simulator().requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    private int readyRequest(String database, boolean gated) {
        DeployRequestSeed seed = DeployRequestSeed.of(database, "branch-" + answers.incrementAndGet(), BOB,
                List.of("ALTER TABLE `events` ADD COLUMN `source` varchar(32) NULL")).withChecksDone();
        return cutover.service().simulator().createDeployRequest(gated ? seed.gated() : seed);
    }

    /** An analytics request deployed through Slack and now in its revert window. */
    private int deployedRequest() throws Exception {
        int number = readyRequest("analytics", false);
        answer("deploy analytics " + number);
        advanceUntil("analytics", number, DeploymentState.COMPLETE_PENDING_REVERT);
        return number;
    }

    private void advanceUntil(String database, int number, DeploymentState state) {
        for (int second = 0; second < 60 && cutover.service().simulator().stateOf(database, number) != state; second++) {
            clock.advance(Duration.ofSeconds(1));
            cutover.service().simulator().tick();
        }
        assertThat(cutover.service().simulator().stateOf(database, number)).isEqualTo(state);
    }
}
