package dev.cutover.confirm;

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
 * Friction proportional to risk, over real HTTP against the sandbox: a typed write asks before acting; a plain
 * write keeps its dialog; a deploy that can drop data opens a modal that wants the table's name; revert, skip
 * revert and instant deploys open a modal that states the consequence; every modal is checked again on submit.
 */
@Timeout(60)
class ConfirmationTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String BOB = "U0BOB";
    /** The demo deploy request that drops `products`.`legacy_sku`. */
    static final int DROPS_COLUMN = 4;
    static final Actor AUTHOR = new Actor("dana-okafor", "Dana Okafor");

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

    // ---- Typed writes ----

    @Test
    void typedWrite_answersPrivatelyWithTheCardAndAConfirmStep_andChangesNothing() throws Exception {
        int writesBefore = writes().size();

        JsonNode answer = command(ALICE, "close shop 2");

        assertThat(answer.path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(Cards.text(answer)).contains("shop#2").contains("nothing has been changed yet");
        assertThat(Cards.actionIds(answer.path("blocks"))).contains(TypedConfirm.ACTION_ID_PREFIX
                + DeployAction.CLOSE.actionId());
        Thread.sleep(200); // a write would have been sent before the answer; give a wrong one a chance to show
        assertThat(writes()).hasSize(writesBefore);
    }

    @Test
    void typedWrite_pressingItsConfirmStep_actsOnce() throws Exception {
        String name = "typed-" + names.incrementAndGet();

        requests.typedWrite(slack, ALICE, CHANNEL, "close shop 2", slack.responseUrl(name));

        await().atMost(Answers.PATIENCE).until(() -> writes("PATCH", "shop", 2, "").size() == 1);
        assertThat(cutover.service().simulator().isOpen("shop", 2)).isFalse();
    }

    @Test
    void typedWrite_refusedByState_saysSoWithoutAConfirmStep() throws Exception {
        JsonNode answer = command(ALICE, "apply shop 2");

        assertThat(Cards.text(answer)).contains("not waiting for cutover");
        assertThat(Cards.actionIds(answer.path("blocks"))).noneMatch(id -> id.startsWith(TypedConfirm.ACTION_ID_PREFIX));
    }

    // ---- Drops data: the table's name ----

    @Test
    void deployThatDropsData_hasNoDialog_andOpensAModalListingTheOperation() throws Exception {
        JsonNode card = command(ALICE, "show shop " + DROPS_COLUMN).path("blocks");
        JsonNode deploy = Cards.button(card, DeployAction.DEPLOY.actionId()).orElseThrow();
        assertThat(deploy.has("confirm")).as("the modal confirms, not a dialog").isFalse();

        JsonNode view = press(ALICE, card, DeployAction.DEPLOY, "press");

        String text = view.toString();
        assertThat(text).contains("products").contains("DROP COLUMN").contains("recently used");
        assertThat(SlackRequests.expectedName(view)).isEqualTo("products");
        assertThat(view.path("callback_id").asText()).isEqualTo(ConfirmModal.CALLBACK_ID);
    }

    @Test
    void deployThatDropsData_wrongName_isAFieldError_andNothingIsDone() throws Exception {
        JsonNode card = command(ALICE, "show shop " + DROPS_COLUMN).path("blocks");
        JsonNode view = press(ALICE, card, DeployAction.DEPLOY, "press");

        RunningCutover.HttpResult answer = requests.submit(ALICE, view, "product");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"response_action\":\"errors\"").contains(ConfirmModal.NAME_BLOCK)
                .contains("Type products exactly");
        Thread.sleep(200);
        assertThat(writes("POST", "shop", DROPS_COLUMN, "deploy")).isEmpty();
    }

    @Test
    void deployThatDropsData_rightName_deploys() throws Exception {
        JsonNode card = command(ALICE, "show shop " + DROPS_COLUMN).path("blocks");
        JsonNode view = press(ALICE, card, DeployAction.DEPLOY, "press");

        RunningCutover.HttpResult answer = requests.submit(ALICE, view, "products");

        assertThat(answer.body()).doesNotContain("errors");
        await().atMost(Answers.PATIENCE).until(() -> writes("POST", "shop", DROPS_COLUMN, "deploy").size() == 1);
    }

    @Test
    void modalSubmittedAfterTheStateChanged_isRefusedClearly_andNothingIsDone() throws Exception {
        JsonNode card = command(ALICE, "show shop " + DROPS_COLUMN).path("blocks");
        JsonNode view = press(ALICE, card, DeployAction.DEPLOY, "press");
        // Meanwhile Bob closes it from the card (a plain dialog: done at once).
        press(BOB, card, DeployAction.CLOSE, "bob");
        await().atMost(Answers.PATIENCE).until(() -> !cutover.service().simulator().isOpen("shop", DROPS_COLUMN));

        requests.submit(ALICE, view, "products");

        await().atMost(Answers.PATIENCE).until(() -> Answers.atLeast(slack, "press", 1).stream()
                .anyMatch(r -> Cards.text(r.body()).contains("changed while you were confirming")));
        assertThat(writes("POST", "shop", DROPS_COLUMN, "deploy")).isEmpty();
    }

    // ---- Consequences in plain words ----

    @Test
    void revert_opensAModalWithAPreviewFromTheDdl() throws Exception {
        int number = deployedWithinRevertWindow();
        JsonNode card = command(ALICE, "show analytics " + number).path("blocks");
        assertThat(Cards.button(card, DeployAction.REVERT.actionId()).orElseThrow().has("confirm")).isFalse();

        JsonNode view = press(ALICE, card, DeployAction.REVERT, "revert");

        assertThat(view.toString()).contains("events.source").contains("data written to it is lost")
                .doesNotContain(ConfirmModal.NAME_BLOCK);
        assertThat(writes("POST", "analytics", number, "revert")).isEmpty();
        requests.submit(ALICE, view, null);
        await().atMost(Answers.PATIENCE).until(() -> writes("POST", "analytics", number, "revert").size() == 1);
    }

    @Test
    void skipRevert_modalSaysTheChangeBecomesPermanentAndTheQueueUnblocks() throws Exception {
        int number = deployedWithinRevertWindow();
        JsonNode card = command(ALICE, "show analytics " + number).path("blocks");

        JsonNode view = press(ALICE, card, DeployAction.SKIP_REVERT, "skip");

        assertThat(view.toString()).contains("becomes permanent").contains("queue");
    }

    @Test
    void typedRevert_goesThroughTheSameModal() throws Exception {
        int number = deployedWithinRevertWindow();
        int views = slack.openedViews().size();

        requests.typedWrite(slack, ALICE, CHANNEL, "revert analytics " + number, slack.responseUrl("typed-revert"));

        assertThat(slack.openedViews()).hasSize(views + 1);
        await().atMost(Answers.PATIENCE).until(() -> writes("POST", "analytics", number, "revert").size() == 1);
    }

    // ---- Helpers ----

    /** Presses {@code action}'s button on an ephemeral card; returns the modal it opened (or null after waiting). */
    private JsonNode press(String user, JsonNode card, DeployAction action, String responseName) throws Exception {
        int views = slack.calls("views.open").size();
        String value = Cards.button(card, action.actionId()).orElseThrow().path("value").asText();
        requests.click(user, CHANNEL, null, true, action.actionId(), value, card, slack.responseUrl(responseName));
        if (RiskAssessment.of(action, dummy()).level() == ConfirmationLevel.DIALOG && action != DeployAction.DEPLOY) {
            return null;
        }
        await().atMost(Answers.PATIENCE).until(() -> slack.calls("views.open").size() > views);
        return slack.openedViews().get(views);
    }

    private static dev.cutover.deploy.DeployRequest dummy() {
        return new dev.cutover.deploy.DeployRequest(new dev.cutover.deploy.DeployRef("o", "d", 1), null, null, null,
                null, false, null, null, null, null, null, 0, null, null, null, null, null);
    }

    private JsonNode command(String user, String text) throws Exception {
        String name = "command-" + names.incrementAndGet();
        requests.command(user, CHANNEL, text, slack.responseUrl(name));
        return Answers.first(slack, name);
    }

    private int deployedWithinRevertWindow() throws Exception {
        DeployRequestSeed seed = DeployRequestSeed.of("analytics", "branch-" + names.incrementAndGet(), AUTHOR,
                List.of("ALTER TABLE `events` ADD COLUMN `source` varchar(32) NULL")).withChecksDone();
        int number = cutover.service().simulator().createDeployRequest(seed);
        requests.typedWrite(slack, ALICE, CHANNEL, "deploy analytics " + number, slack.responseUrl("deploy-" + number));
        for (int second = 0; second < 60
                && cutover.service().simulator().stateOf("analytics", number) != DeploymentState.COMPLETE_PENDING_REVERT;
                second++) {
            clock.advance(Duration.ofSeconds(1));
            cutover.service().simulator().tick();
        }
        assertThat(cutover.service().simulator().stateOf("analytics", number))
                .isEqualTo(DeploymentState.COMPLETE_PENDING_REVERT);
        return number;
    }

    private List<ReceivedRequest> writes() {
        return cutover.service().simulator().requests().stream().filter(r -> !r.method().equals("GET")).toList();
    }

    private List<ReceivedRequest> writes(String method, String database, int number, String suffix) {
        String path = "/v1/organizations/" + RunningCutover.ORG + "/databases/" + database + "/deploy-requests/"
                + number + (suffix.isEmpty() ? "" : "/" + suffix);
        return cutover.service().simulator().requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }
}
