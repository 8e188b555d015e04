package dev.cutover.render;

import static dev.cutover.render.SampleDeployRequests.inState;
import static dev.cutover.render.SampleDeployRequests.lintError;
import static dev.cutover.render.SampleDeployRequests.operation;
import static dev.cutover.render.SampleDeployRequests.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.cutover.deploy.AvailableActions;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.RequestState;
import dev.cutover.render.DeployRequestCard.Card;
import dev.cutover.slack.SandboxMarker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeployRequestCardTest {
    private static final CardContext CTX = CardContext.of(false);
    private static final CardContext APPROVAL_REQUIRED = CardContext.of(true);

    @ParameterizedTest
    @EnumSource(DeploymentState.class)
    void everyDeploymentState_rendersItsEmojiAndWords(DeploymentState state) {
        Card card = DeployRequestCard.render(inState(state), CTX);

        assertThat(BlockKit.allText(card))
                .contains(DeployRequestCard.stateEmoji(state) + " " + DeployRequestCard.stateWords(state));
        BlockKit.assertWithinLimits(card, 300);
    }

    @ParameterizedTest
    @EnumSource(DeploymentState.class)
    void everyDeploymentState_offersExactlyTheAvailableActionsExceptComment(DeploymentState state) {
        DeployRequest deployRequest = inState(state);

        Card card = DeployRequestCard.render(deployRequest, APPROVAL_REQUIRED);

        List<String> expected = new ArrayList<>(AvailableActions.of(deployRequest, true).stream()
                .filter(DeployAction::onCard).map(DeployAction::actionId).toList());
        expected.add(DeployRequestCard.REFRESH_ACTION_ID);
        expected.add(DeployRequestCard.OPEN_ACTION_ID);
        assertThat(BlockKit.actionIds(card)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest
    @EnumSource(DeploymentState.class)
    void everyWriteButton_hasAConfirmDialogWithAllFourTexts_unlessAModalConfirmsIt(DeploymentState state) {
        SampleDeployRequests sample = sample();
        sample.deploymentState = state;
        sample.approved = false;
        sample.instantEligible = true;

        Card card = DeployRequestCard.render(sample.build(), CTX);

        for (JsonObject button : BlockKit.buttons(card)) {
            String actionId = button.get("action_id").getAsString();
            var action = DeployAction.fromActionId(actionId);
            if (action.isPresent() && dev.cutover.confirm.RiskAssessment.of(action.get(), sample.build()).level()
                    != dev.cutover.confirm.ConfirmationLevel.DIALOG) {
                assertThat(button.getAsJsonObject("confirm")).as(actionId + ": its modal confirms").isNull();
            } else if (action.isPresent()) {
                JsonObject confirm = button.getAsJsonObject("confirm");
                assertThat(confirm).as(actionId).isNotNull();
                assertThat(confirm.keySet()).contains("title", "text", "confirm", "deny");
            }
        }
        BlockKit.assertWithinLimits(card, 300);
    }

    @Test
    void readyApprovedAndDeployable_offersDeployAsPrimaryAndCloseAsDanger() {
        Card card = DeployRequestCard.render(inState(DeploymentState.READY), APPROVAL_REQUIRED);

        assertThat(button(card, DeployAction.DEPLOY.actionId()).get("style").getAsString()).isEqualTo("primary");
        assertThat(button(card, DeployAction.CLOSE.actionId()).get("style").getAsString()).isEqualTo("danger");
        assertThat(BlockKit.actionIds(card)).doesNotContain(DeployAction.APPROVE.actionId(), DeployAction.COMMENT.actionId());
    }

    @Test
    void deployButton_whenApprovalRequiredAndNotApproved_isNotOffered() {
        SampleDeployRequests sample = sample();
        sample.approved = false;

        Card card = DeployRequestCard.render(sample.build(), APPROVAL_REQUIRED);

        assertThat(BlockKit.actionIds(card)).contains(DeployAction.APPROVE.actionId())
                .doesNotContain(DeployAction.DEPLOY.actionId());
        assertThat(BlockKit.allText(card)).contains("approval required");
    }

    @Test
    void deployInstantlyButton_whenEligible_isOfferedAsDanger() {
        SampleDeployRequests sample = sample();
        sample.instantEligible = true;

        Card card = DeployRequestCard.render(sample.build(), CTX);

        JsonObject button = button(card, DeployAction.DEPLOY_INSTANT.actionId());
        assertThat(button.get("style").getAsString()).isEqualTo("danger");
        // Instant deploys cannot be reverted: a modal states it (ConfirmationTest), not a dialog.
        assertThat(button.getAsJsonObject("confirm")).isNull();
    }

    @Test
    void cancelButton_whenQueued_isOffered() {
        Card card = DeployRequestCard.render(inState(DeploymentState.QUEUED), CTX);

        assertThat(BlockKit.actionIds(card)).contains(DeployAction.CANCEL.actionId())
                .doesNotContain(DeployAction.DEPLOY.actionId());
    }

    @Test
    void applyButton_whenPendingCutover_isPrimaryAndSaysTheRevertWindowStarts() {
        Card card = DeployRequestCard.render(inState(DeploymentState.PENDING_CUTOVER), CTX);

        assertThat(button(card, DeployAction.APPLY.actionId()).get("style").getAsString()).isEqualTo("primary");
        assertThat(confirmText(card, DeployAction.APPLY)).contains("Cuts over now").contains("revert window starts");
    }

    @Test
    void revertAndSkipRevert_inRevertWindow_areOfferedWithPlainConsequences() {
        DeployRequest request = inState(DeploymentState.COMPLETE_PENDING_REVERT);
        Card card = DeployRequestCard.render(request, CTX);

        assertThat(BlockKit.actionIds(card)).contains(DeployAction.REVERT.actionId(), DeployAction.SKIP_REVERT.actionId());
        // The buttons open modals (ConfirmationTest) whose words come from the risk assessment.
        assertThat(String.join(" ", dev.cutover.confirm.RiskAssessment.of(DeployAction.REVERT, request).consequences()))
                .contains("Writes since cutover are kept");
        assertThat(String.join(" ", dev.cutover.confirm.RiskAssessment.of(DeployAction.SKIP_REVERT, request)
                .consequences())).contains("becomes permanent").contains("unblocks");
    }

    @Test
    void unblockButton_afterFailedDeploy_isOffered() {
        Card card = DeployRequestCard.render(inState(DeploymentState.COMPLETE_ERROR), CTX);

        assertThat(BlockKit.actionIds(card)).contains(DeployAction.UNBLOCK.actionId());
        assertThat(BlockKit.allText(card)).contains("blocks the deploy queue");
    }

    @Test
    void closedRequest_offersOnlyRefreshAndTheLink() {
        Card card = DeployRequestCard.render(inState(DeploymentState.COMPLETE), CTX);

        assertThat(BlockKit.actionIds(card))
                .containsExactlyInAnyOrder(DeployRequestCard.REFRESH_ACTION_ID, DeployRequestCard.OPEN_ACTION_ID);
    }

    @Test
    void closeConfirm_saysItCannotBeReopened() {
        Card card = DeployRequestCard.render(inState(DeploymentState.READY), CTX);

        assertThat(confirmText(card, DeployAction.CLOSE)).contains("without deploying").contains("cannot be reopened");
    }

    @Test
    void deployConfirm_saysItQueuesAnOnlineMigrationIntoTheTargetBranch() {
        Card card = DeployRequestCard.render(inState(DeploymentState.READY), CTX);

        assertThat(confirmText(card, DeployAction.DEPLOY)).contains("Queues shop#7").contains("into main")
                .contains("online migration").doesNotContain("can_drop_data");
    }

    @Test
    void deployButton_whenAnOperationCanDropData_saysSo_andLeavesConfirmationToTheTypedNameModal() {
        SampleDeployRequests sample = sample();
        sample.operations = List.of(operation("legacy", "DROP TABLE legacy", true, null));

        Card card = DeployRequestCard.render(sample.build(), CTX);

        assertThat(button(card, DeployAction.DEPLOY.actionId()).getAsJsonObject("confirm")).isNull();
        var risk = dev.cutover.confirm.RiskAssessment.of(DeployAction.DEPLOY, sample.build());
        assertThat(risk.level()).isEqualTo(dev.cutover.confirm.ConfirmationLevel.TYPED_NAME);
        assertThat(risk.expectedName()).isEqualTo("legacy");
        assertThat(BlockKit.allText(card)).contains("Can drop data");
    }

    @Test
    void actionButtons_carryTheReferenceAsValue() {
        Card card = DeployRequestCard.render(inState(DeploymentState.READY), CTX);

        JsonObject deploy = button(card, DeployAction.DEPLOY.actionId());
        assertThat(DeployRef.fromButtonValue(deploy.get("value").getAsString())).isEqualTo(new DeployRef("acme", "shop", 7));
    }

    @Test
    void refreshButton_hasNoConfirm() {
        Card card = DeployRequestCard.render(inState(DeploymentState.READY), CTX);

        JsonObject refresh = button(card, DeployRequestCard.REFRESH_ACTION_ID);
        assertThat(refresh.has("confirm")).isFalse();
        assertThat(refresh.get("value").getAsString()).isEqualTo("acme/shop/7");
    }

    @Test
    void withoutButtons_keepsOnlyTheLinkButton() {
        Card card = DeployRequestCard.render(inState(DeploymentState.READY), CTX.withoutButtons());

        assertThat(BlockKit.actionIds(card)).containsExactly(DeployRequestCard.OPEN_ACTION_ID);
    }

    @Test
    void linkButton_andFallbackText_pointToTheDeployRequest() {
        Card card = DeployRequestCard.render(inState(DeploymentState.READY), CTX);

        assertThat(button(card, DeployRequestCard.OPEN_ACTION_ID).get("url").getAsString())
                .isEqualTo(SampleDeployRequests.HTML_URL);
        assertThat(card.text()).isEqualTo("shop#7 add-orders-index → main: Ready to deploy · " + SampleDeployRequests.HTML_URL);
    }

    @Test
    void unusableHtmlUrl_fallsBackToPlanetScalesDefaultUrl() {
        SampleDeployRequests sample = sample();
        sample.htmlUrl = "javascript:alert(1)";

        Card card = DeployRequestCard.render(sample.build(), CTX);

        assertThat(button(card, DeployRequestCard.OPEN_ACTION_ID).get("url").getAsString())
                .isEqualTo(SampleDeployRequests.HTML_URL);
    }

    @Test
    void header_namesDatabaseNumberAndBranches() {
        Card card = DeployRequestCard.render(inState(DeploymentState.READY), CTX);

        JsonObject header = BlockKit.json(card).get(0).getAsJsonObject();
        assertThat(header.get("type").getAsString()).isEqualTo("header");
        assertThat(header.getAsJsonObject("text").get("text").getAsString()).isEqualTo("shop #7: add-orders-index → main");
    }

    @Test
    void header_withHugeBranchName_staysWithin150() {
        SampleDeployRequests sample = sample();
        sample.branch = "b".repeat(500);

        Card card = DeployRequestCard.render(sample.build(), CTX);

        BlockKit.assertWithinLimits(card, 300);
    }

    @Test
    void hostileStrings_neverRenderAsMentionsOrLinks() {
        String hostile = "<!channel> <@U123> <https://evil|x> <!here>";
        SampleDeployRequests sample = sample();
        sample.branch = hostile;
        sample.intoBranch = hostile;
        sample.notes = hostile;
        sample.author = new dev.cutover.deploy.Actor("x", hostile);
        sample.lintErrors = List.of(lintError(hostile, hostile));
        sample.deployCheckErrors = hostile;
        sample.queuePaused = true;
        sample.queuePauseReason = hostile;
        sample.operations = List.of(new DeployOperation(hostile, hostile, hostile, hostile, "", 10.0, null, true, hostile));
        sample.deploymentState = DeploymentState.IN_PROGRESS;

        Card card = DeployRequestCard.render(sample.build(), CTX);

        for (String text : BlockKit.strings(card)) {
            assertThat(text).doesNotContain("<!channel>", "<@U123>", "<https://evil", "<!here>");
        }
        assertThat(BlockKit.allText(card)).contains("&lt;!channel&gt;");
        BlockKit.assertWithinLimits(card, 300);
    }

    @Test
    void lintErrors_areListedAndCappedWithACount() {
        SampleDeployRequests sample = sample();
        sample.deploymentState = DeploymentState.ERROR;
        sample.deployable = false;
        sample.lintErrors = IntStream.rangeClosed(1, 20).mapToObj(i -> lintError("t" + i, "table t" + i + " has no unique key")).toList();

        Card card = DeployRequestCard.render(sample.build(), CTX);

        assertThat(BlockKit.allText(card)).contains("table t1 has no unique key").contains("and 12 more")
                .doesNotContain("table t9 has");
    }

    @Test
    void deployCheckErrors_areShownInACodeBlock() {
        SampleDeployRequests sample = sample();
        sample.deploymentState = DeploymentState.ERROR;
        sample.deployCheckErrors = "foreign key constraint fails";

        Card card = DeployRequestCard.render(sample.build(), CTX);

        assertThat(BlockKit.allText(card)).contains("```\nforeign key constraint fails\n```");
    }

    @Test
    void operations_showDdlAndAreCappedWithPointerToPlanetScale() {
        SampleDeployRequests sample = sample();
        sample.operations = IntStream.rangeClosed(1, 12)
                .mapToObj(i -> operation("t" + i, "ALTER TABLE t" + i + " ADD COLUMN c INT", false, null)).toList();

        Card card = DeployRequestCard.render(sample.build(), CTX);

        String text = BlockKit.allText(card);
        assertThat(text).contains("ALTER TABLE t1 ADD COLUMN c INT").contains("ALTER TABLE t5 ADD")
                .doesNotContain("ALTER TABLE t6 ADD").contains("and 7 more operations — see");
    }

    @Test
    void progress_whileRunning_isShownAsOverallPercentage() {
        SampleDeployRequests sample = sample();
        sample.deploymentState = DeploymentState.IN_PROGRESS;
        sample.operations = List.of(operation("a", "ALTER TABLE a", false, 40.0), operation("b", "ALTER TABLE b", false, 60.0));

        Card card = DeployRequestCard.render(sample.build(), CTX);

        assertThat(BlockKit.allText(card)).contains("Progress: 50%");
    }

    @Test
    void warnings_forPausedQueueAndExpiringCutover_areShown() {
        SampleDeployRequests sample = sample();
        sample.deploymentState = DeploymentState.PENDING_CUTOVER;
        sample.queuePaused = true;
        sample.queuePauseReason = "maintenance";
        sample.cutoverExpiring = true;

        Card card = DeployRequestCard.render(sample.build(), CTX);

        assertThat(BlockKit.allText(card)).contains("Deploy queue paused: maintenance").contains("cutover expires soon");
    }

    @Test
    void revertWindowEnd_isShownAsReaderLocalDate() {
        Card card = DeployRequestCard.render(inState(DeploymentState.COMPLETE_PENDING_REVERT), CTX);

        assertThat(BlockKit.allText(card)).contains("Revert window closes "
                + Mrkdwn.date(Instant.parse("2026-11-21T12:30:00Z")));
    }

    @Test
    void notes_areShownEscaped() {
        SampleDeployRequests sample = sample();
        sample.notes = "fast & safe";

        Card card = DeployRequestCard.render(sample.build(), CTX);

        assertThat(BlockKit.allText(card)).contains("*Notes:*\nfast &amp; safe");
    }

    @Test
    void sandbox_addsAVisibleMarker_whereTheCardLeavesForSlack_rightUnderTheHeader() {
        Card card = DeployRequestCard.render(inState(DeploymentState.READY), CTX);

        Card marked = new Card(card.text(), SandboxMarker.ON.blocks(card.blocks()));

        assertThat(BlockKit.allText(card)).doesNotContain("Sandbox");
        assertThat(BlockKit.allText(marked)).contains("🧪 Sandbox — simulated PlanetScale");
        assertThat(marked.blocks().get(1).getType()).isEqualTo("context");
        BlockKit.assertWithinLimits(marked, 300);
    }

    @Test
    void history_showsOnlyTheLastFiveLines() {
        List<String> history = IntStream.rangeClosed(1, 8).mapToObj(i -> "line " + i).toList();

        Card card = DeployRequestCard.render(inState(DeploymentState.READY), CTX.withHistory(history));

        assertThat(BlockKit.strings(card)).contains("line 4", "line 8").doesNotContain("line 3");
    }

    @Test
    void blockIds_changeWhenTheRequestIsUpdated() {
        SampleDeployRequests sample = sample();
        Card before = DeployRequestCard.render(sample.build(), CTX);
        sample.updatedAt = sample.updatedAt.plusSeconds(60);

        Card after = DeployRequestCard.render(sample.build(), CTX);

        assertThat(blockIds(after)).doesNotContainAnyElementsOf(blockIds(before));
    }

    @Test
    void blockIds_areStableForTheSameVersion() {
        assertThat(blockIds(DeployRequestCard.render(inState(DeploymentState.READY), CTX)))
                .isEqualTo(blockIds(DeployRequestCard.render(inState(DeploymentState.READY), CTX)));
    }

    @Test
    void missingDeployment_stillRendersStateAndLink() {
        SampleDeployRequests sample = sample();
        sample.deploymentPresent = false;
        sample.deploymentState = DeploymentState.PENDING;

        Card card = DeployRequestCard.render(sample.build(), CTX);

        assertThat(BlockKit.allText(card)).contains("Checking the changes").contains(SampleDeployRequests.HTML_URL);
        BlockKit.assertWithinLimits(card, 300);
    }

    @Test
    void list_showsOneRowPerRequestWithAShowButton() {
        SampleDeployRequests other = sample();
        other.number = 8;
        other.approved = false;
        other.htmlUrl = null;

        Card card = DeployRequestCard.list(List.of(inState(DeploymentState.READY), other.build()), "Open deploy requests in shop", CTX);

        List<JsonObject> shows = BlockKit.buttons(card).stream()
                .filter(b -> b.get("action_id").getAsString().equals(DeployRequestCard.SHOW_ACTION_ID)).toList();
        assertThat(shows).extracting(b -> b.get("value").getAsString()).containsExactly("acme/shop/7", "acme/shop/8");
        assertThat(BlockKit.allText(card)).contains("<" + SampleDeployRequests.HTML_URL + "|shop#7>")
                .contains("approved ✓").contains("🟢 Ready to deploy").contains("`add-orders-index` → `main`");
        BlockKit.assertWithinLimits(card, 3000);
    }

    @Test
    void list_overTheLimit_saysHowManyMoreAndHowToNarrow() {
        List<DeployRequest> many = IntStream.rangeClosed(1, 70).mapToObj(i -> {
            SampleDeployRequests sample = sample();
            sample.number = i;
            return sample.build();
        }).toList();

        Card card = DeployRequestCard.list(many, "Open deploy requests", CTX);

        assertThat(BlockKit.allText(card)).contains("and 30 more — narrow with `/pscale list &lt;database&gt;`");
        BlockKit.assertWithinLimits(card, 3000);
    }

    @Test
    void list_empty_saysSoFriendly() {
        Card card = DeployRequestCard.list(List.of(), "Open deploy requests in shop", CTX);

        assertThat(BlockKit.allText(card)).contains("📭 None right now.");
        assertThat(card.text()).isEqualTo("Open deploy requests in shop: none right now.");
    }

    @Test
    void list_closedRequest_hasNoActionButtonsBesidesShow() {
        SampleDeployRequests closed = sample();
        closed.state = RequestState.CLOSED;
        closed.deploymentState = DeploymentState.COMPLETE;

        Card card = DeployRequestCard.list(List.of(closed.build()), "Closed", CTX);

        assertThat(BlockKit.actionIds(card)).containsExactly(DeployRequestCard.SHOW_ACTION_ID);
    }

    private static List<String> blockIds(Card card) {
        return StreamSupport.stream(BlockKit.json(card).spliterator(), false)
                .map(JsonElement::getAsJsonObject).map(b -> b.get("block_id").getAsString()).toList();
    }

    private static JsonObject button(Card card, String actionId) {
        Optional<JsonObject> button = BlockKit.buttons(card).stream()
                .filter(b -> b.get("action_id").getAsString().equals(actionId)).findFirst();
        assertThat(button).as("button %s", actionId).isPresent();
        return button.get();
    }

    private static String confirmText(Card card, DeployAction action) {
        return button(card, action.actionId()).getAsJsonObject("confirm").getAsJsonObject("text").get("text").getAsString();
    }
}
