package dev.cutover.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.sandbox.ReceivedRequest;
import dev.cutover.testing.Answers;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SlackRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card's buttons over real HTTP against the sandbox: which ones each state offers, that every write asks
 * for confirmation, and what a click does: one PlanetScale call, the card updated in place with who did what,
 * stale cards and crafted values harmless.
 */
@Timeout(60)
class CardButtonsTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String BOB = "U0BOB";
    static final Actor AUTHOR = new Actor("dana-okafor", "Dana Okafor");
    static final Set<String> READ_ONLY = Set.of(DeployRequestCard.REFRESH_ACTION_ID, DeployRequestCard.OPEN_ACTION_ID);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();
    SlackRequests requests;
    private final AtomicInteger names = new AtomicInteger();

    @BeforeEach
    void start() {
        requests = new SlackRequests(cutover.service());
    }

    // ---- Buttons per state ----

    @Test
    void readyApprovedAndInstantEligible_offersDeployAndDeployInstantly() throws Exception {
        JsonNode card = card("shop 3");

        assertThat(Cards.actionIds(card)).contains(DeployAction.DEPLOY.actionId(),
                DeployAction.DEPLOY_INSTANT.actionId(), DeployAction.CLOSE.actionId())
                .doesNotContain(DeployAction.APPROVE.actionId(), DeployAction.APPLY.actionId(),
                        DeployAction.CANCEL.actionId(), DeployAction.REVERT.actionId());
        assertEveryWriteButtonAsksForConfirmation(card);
    }

    @Test
    void readyApproved_notInstantEligible_offersDeployOnly() throws Exception {
        int number = readyRequest(false);

        JsonNode card = card("analytics " + number);

        assertThat(Cards.actionIds(card)).contains(DeployAction.DEPLOY.actionId())
                .doesNotContain(DeployAction.DEPLOY_INSTANT.actionId());
        assertEveryWriteButtonAsksForConfirmation(card);
    }

    @Test
    void readyButUnapproved_whereApprovalIsRequired_offersApproveAndNoDeploy() throws Exception {
        JsonNode card = card("shop 2");

        assertThat(Cards.actionIds(card)).contains(DeployAction.APPROVE.actionId())
                .doesNotContain(DeployAction.DEPLOY.actionId(), DeployAction.DEPLOY_INSTANT.actionId());
        assertEveryWriteButtonAsksForConfirmation(card);
    }

    @Test
    void pendingCutover_offersApplyChangesAndCancel() throws Exception {
        int number = readyRequest(true);
        command("deploy analytics " + number);
        advanceUntil(number, DeploymentState.PENDING_CUTOVER);

        JsonNode card = card("analytics " + number);

        assertThat(writeActionIds(card)).containsExactlyInAnyOrder(DeployAction.APPLY.actionId(),
                DeployAction.CANCEL.actionId());
        assertThat(Cards.text(card)).contains("Apply changes");
        assertEveryWriteButtonAsksForConfirmation(card);
    }

    @Test
    void completePendingRevert_offersRevertAndSkipRevert() throws Exception {
        int number = readyRequest(false);
        command("deploy analytics " + number);
        advanceUntil(number, DeploymentState.COMPLETE_PENDING_REVERT);

        JsonNode card = card("analytics " + number);

        assertThat(writeActionIds(card)).containsExactlyInAnyOrder(DeployAction.REVERT.actionId(),
                DeployAction.SKIP_REVERT.actionId());
        assertEveryWriteButtonAsksForConfirmation(card);
    }

    @Test
    void closed_offersNoWriteButtons() throws Exception {
        JsonNode card = card("shop 1");

        assertThat(writeActionIds(card)).isEmpty();
        assertThat(Cards.actionIds(card)).contains(DeployRequestCard.REFRESH_ACTION_ID);
    }

    // ---- Clicks ----

    @Test
    void clickOnAChannelCard_deploysOnce_andUpdatesTheCardWithWhoDidWhat() throws Exception {
        int number = readyRequest(false);
        JsonNode card = card("analytics " + number);
        String ts = channelMessage();

        click(ALICE, ts, false, card, DeployAction.DEPLOY, "deploy");

        JsonNode updated = awaitUpdate(ts, 1);
        assertThat(deploys(number)).hasSize(1);
        assertThat(Cards.text(updated)).contains("<@" + ALICE + "> queued analytics#" + number + " for deploy")
                .contains("Queued");
        assertThat(Cards.actionIds(updated)).contains(DeployAction.CANCEL.actionId())
                .doesNotContain(DeployAction.DEPLOY.actionId());
        assertThat(slack.responses("deploy")).isEmpty();
    }

    @Test
    void clickOnAnEphemeralCard_replacesItThroughTheResponseUrl() throws Exception {
        int number = readyRequest(false);
        JsonNode card = card("analytics " + number);

        click(ALICE, "1700000000.999999", true, card, DeployAction.DEPLOY, "deploy");

        JsonNode body = Answers.first(slack, "deploy");
        assertThat(body.path("replace_original").asBoolean()).isTrue();
        assertThat(Cards.text(body.path("blocks"))).contains("<@" + ALICE + "> queued analytics#" + number);
        assertThat(deploys(number)).hasSize(1);
        assertThat(slack.calls("chat.update")).isEmpty();
    }

    @Test
    void approveClick_sendsOneReviewInTheClickersName() throws Exception {
        JsonNode card = card("shop 2");
        String ts = channelMessage();

        click(BOB, ts, false, card, DeployAction.APPROVE, "approve");

        JsonNode updated = awaitUpdate(ts, 1);
        List<ReceivedRequest> reviews = writes("POST", "shop", 2, "reviews");
        assertThat(reviews).hasSize(1);
        JsonNode review = JSON.readTree(reviews.get(0).body());
        assertThat(review.path("state").asText()).isEqualTo("approved");
        assertThat(review.path("body").asText()).contains("u0bob").contains(BOB);
        assertThat(Cards.text(updated)).contains("<@" + BOB + "> approved shop#2");
        assertThat(Cards.actionIds(updated)).contains(DeployAction.DEPLOY.actionId())
                .doesNotContain(DeployAction.APPROVE.actionId());
    }

    @Test
    void secondClickOnTheSameStaleCard_callsNothing_andExplains() throws Exception {
        int number = readyRequest(false);
        JsonNode card = card("analytics " + number);
        String ts = channelMessage();
        click(ALICE, ts, false, card, DeployAction.DEPLOY, "first");
        awaitUpdate(ts, 1);

        click(BOB, ts, false, card, DeployAction.DEPLOY, "second");

        String explanation = Answers.firstText(slack, "second");
        assertThat(explanation).contains("analytics#" + number + " is already queued");
        assertThat(deploys(number)).hasSize(1);
        JsonNode truth = awaitUpdate(ts, 2);
        assertThat(Cards.text(truth)).contains("Queued");
    }

    @Test
    void twoClicksAtOnce_deployOnlyOnce() throws Exception {
        int number = readyRequest(false);
        JsonNode card = card("analytics " + number);
        String ts = channelMessage();

        CompletableFuture<?> first = CompletableFuture.runAsync(() -> clickQuietly(ALICE, ts, card, "first"));
        CompletableFuture<?> second = CompletableFuture.runAsync(() -> clickQuietly(BOB, ts, card, "second"));
        CompletableFuture.allOf(first, second).join();

        await().atMost(Answers.PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.responses("first").size() + slack.responses("second").size() >= 1);
        assertThat(deploys(number)).hasSize(1);
        List<FakeSlackApi.Response> explanations = new java.util.ArrayList<>(slack.responses("first"));
        explanations.addAll(slack.responses("second"));
        assertThat(explanations).singleElement()
                .satisfies(response -> assertThat(Cards.text(response.body())).contains("is already queued"));
    }

    @Test
    void craftedValue_namingAnotherDatabase_isAuthorisedAgainstWhatItNames(@TempDir Path configDir) throws Exception {
        Path policy = configDir.resolve("policy.yml");
        Files.writeString(policy, String.join("\n",
                "default: deny",
                "rules:",
                "  - actions: [deploy]",
                "    databases: [analytics]",
                "    allow: [" + ALICE + "]",
                "  - actions: [deploy]",
                "    databases: [shop]",
                "    allow: [" + BOB + "]",
                ""));
        restartWith(Map.of("CUTOVER_POLICY_FILE", policy.toString()));
        int number = readyRequest(false);
        JsonNode analyticsCard = card("analytics " + number);
        JsonNode deployButton = Cards.button(analyticsCard, DeployAction.DEPLOY.actionId()).orElseThrow();
        assertThat(deployButton.path("value").asText()).isEqualTo(RunningCutover.ORG + "/analytics/" + number);
        int before = cutover.service().simulator().requests().size();

        requests.click(ALICE, CHANNEL, channelMessage(), false, DeployAction.DEPLOY.actionId(),
                RunningCutover.ORG + "/shop/3", analyticsCard, slack.responseUrl("crafted"));

        String answer = Answers.firstText(slack, "crafted");
        assertThat(answer).contains("not allowed to deploy").contains("shop").contains(BOB);
        assertThat(cutover.service().simulator().requests()).hasSize(before);
        assertThat(cutover.service().simulator().stateOf("shop", 3)).isEqualTo(DeploymentState.READY);
        assertThat(cutover.service().simulator().stateOf("analytics", number)).isEqualTo(DeploymentState.READY);
    }

    @Test
    void valueNamingAnotherOrganization_isRefusedWithoutCallingPlanetScale() throws Exception {
        JsonNode card = card("shop 3");
        int before = cutover.service().simulator().requests().size();

        requests.click(ALICE, CHANNEL, channelMessage(), false, DeployAction.DEPLOY.actionId(), "other-org/shop/3",
                card, slack.responseUrl("other"));

        assertThat(Answers.firstText(slack, "other")).contains("another organization");
        assertThat(cutover.service().simulator().requests()).hasSize(before);
    }

    @Test
    void refresh_reReadsFromPlanetScale_evenWhileTheCacheHoldsAnOlderState() throws Exception {
        int number = readyRequest(false);
        command("deploy analytics " + number);
        JsonNode queuedCard = card("analytics " + number); // cached as queued for 15 s
        clock.advance(Duration.ofSeconds(3));
        cutover.service().simulator().tick();
        assertThat(cutover.service().simulator().stateOf("analytics", number)).isEqualTo(DeploymentState.IN_PROGRESS);
        String ts = channelMessage();
        int readsBefore = reads(number);
        long writesBefore = cutover.service().simulator().requests().stream().filter(r -> !r.method().equals("GET")).count();

        requests.click(ALICE, CHANNEL, ts, false, DeployRequestCard.REFRESH_ACTION_ID,
                RunningCutover.ORG + "/analytics/" + number, queuedCard, slack.responseUrl("refresh"));

        JsonNode refreshed = awaitUpdate(ts, 1);
        assertThat(Cards.text(refreshed)).contains("Deploying").doesNotContain("Queued");
        assertThat(reads(number)).isGreaterThan(readsBefore);
        assertThat(cutover.service().simulator().requests().stream().filter(r -> !r.method().equals("GET")).count())
                .isEqualTo(writesBefore);
    }

    // ---- Helpers ----

    /** A dialog on each write button, except those a modal confirms (ConfirmationTest covers those). */
    private void assertEveryWriteButtonAsksForConfirmation(JsonNode card) {
        Set<String> modal = Set.of(DeployAction.DEPLOY_INSTANT.actionId(), DeployAction.REVERT.actionId(),
                DeployAction.SKIP_REVERT.actionId());
        assertThat(Cards.buttons(card).stream().filter(button -> !READ_ONLY.contains(button.path("action_id").asText())))
                .isNotEmpty();
        List<JsonNode> writes = Cards.buttons(card).stream()
                .filter(button -> !READ_ONLY.contains(button.path("action_id").asText()))
                .filter(button -> !modal.contains(button.path("action_id").asText())).toList();
        for (JsonNode button : writes) {
            JsonNode confirm = button.path("confirm");
            assertThat(confirm.path("title").path("text").asText()).as(button.toString()).isNotBlank();
            assertThat(confirm.path("text").path("text").asText()).as(button.toString()).isNotBlank();
            assertThat(confirm.path("confirm").path("text").asText()).as(button.toString()).isNotBlank();
            assertThat(confirm.path("deny").path("text").asText()).as(button.toString()).isNotBlank();
        }
    }

    private static List<String> writeActionIds(JsonNode card) {
        return Cards.actionIds(card).stream().filter(id -> !READ_ONLY.contains(id)).toList();
    }

    /** The blocks of the card {@code /pscale show <target>} answers with. */
    private JsonNode card(String target) throws Exception {
        return command("show " + target).path("blocks");
    }

    private JsonNode command(String text) throws Exception {
        String name = "command-" + names.incrementAndGet();
        if (SlackRequests.isWrite(text)) {
            return requests.write(slack, ALICE, CHANNEL, text, slack.responseUrl(name));
        }
        requests.command(ALICE, CHANNEL, text, slack.responseUrl(name));
        return Answers.first(slack, name);
    }

    /** A message of the bot in the channel (as if the card had been posted there), returning its ts. */
    private String channelMessage() {
        String ts = "1700000001." + String.format("%06d", names.incrementAndGet());
        slack.seedMessage(CHANNEL, ts);
        return ts;
    }

    private void click(String user, String ts, boolean ephemeral, JsonNode card, DeployAction action,
            String responseName) throws Exception {
        String value = Cards.button(card, action.actionId()).orElseThrow().path("value").asText();
        RunningCutover.HttpResult ack = requests.click(user, CHANNEL, ts, ephemeral, action.actionId(), value, card,
                slack.responseUrl(responseName));
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.took()).isLessThan(Duration.ofSeconds(1));
    }

    private void clickQuietly(String user, String ts, JsonNode card, String responseName) {
        try {
            click(user, ts, false, card, DeployAction.DEPLOY, responseName);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode awaitUpdate(String ts, int count) {
        await().atMost(Answers.PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> updatesOf(ts).size() >= count);
        return updatesOf(ts).get(count - 1).blocks();
    }

    private List<FakeSlackApi.Call> updatesOf(String ts) {
        return slack.calls("chat.update").stream().filter(call -> ts.equals(call.param("ts"))).toList();
    }

    private List<ReceivedRequest> deploys(int number) {
        return writes("POST", "analytics", number, "deploy");
    }

    private int reads(int number) {
        return writes("GET", "analytics", number, "").size();
    }

    private List<ReceivedRequest> writes(String method, String database, int number, String suffix) {
        String path = "/v1/organizations/" + RunningCutover.ORG + "/databases/" + database + "/deploy-requests/"
                + number + (suffix.isEmpty() ? "" : "/" + suffix);
        return cutover.service().simulator().requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    private int readyRequest(boolean gated) {
        DeployRequestSeed seed = DeployRequestSeed.of("analytics", "branch-" + names.incrementAndGet(), AUTHOR,
                List.of("ALTER TABLE `events` ADD COLUMN `source` varchar(32) NULL")).withChecksDone();
        return cutover.service().simulator().createDeployRequest(gated ? seed.gated() : seed);
    }

    private void advanceUntil(int number, DeploymentState state) {
        for (int second = 0; second < 60 && cutover.service().simulator().stateOf("analytics", number) != state; second++) {
            clock.advance(Duration.ofSeconds(1));
            cutover.service().simulator().tick();
        }
        assertThat(cutover.service().simulator().stateOf("analytics", number)).isEqualTo(state);
    }

    private void restartWith(Map<String, String> env) throws Exception {
        cutover.restartFresh(env);
        requests = new SlackRequests(cutover.service());
    }
}
