package dev.cutover.render;

import static dev.cutover.render.SampleDeployRequests.inState;
import static dev.cutover.render.SampleDeployRequests.lintError;
import static dev.cutover.render.SampleDeployRequests.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.EventType;
import dev.cutover.deploy.RequestState;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.slack.SandboxMarker;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessagesTest {
    private static final DeployRef SHOP_7 = new DeployRef("acme", "shop", 7);

    @Test
    void help_listsEverySubcommandWithExamples() {
        assertThat(Messages.help()).contains("list", "show", "queue", "approve", "comment", "deploy", "--instant", "apply",
                "cancel", "close", "revert", "skip-revert", "unblock", "subscribe", "unsubscribe", "subscriptions",
                "--state", "`dr`", "`deploy-request`", "shop#7", "https://app.planetscale.com/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "show", "queue", "approve", "comment", "deploy", "apply", "cancel", "close", "revert",
            "skip-revert", "unblock", "subscribe", "unsubscribe", "subscriptions"})
    void usage_isSpecificToEachSubcommand(String subcommand) {
        assertThat(Messages.usage(subcommand)).contains("/pscale " + subcommand).doesNotContain("<");
    }

    @Test
    void usage_ofUnknownSubcommand_pointsToHelp() {
        assertThat(Messages.usage("nope")).contains("/pscale help");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "APPROVE|✅ <@U123> approved shop#7",
            "COMMENT|💬 <@U123> commented on shop#7",
            "DEPLOY|🚀 <@U123> queued shop#7 for deploy",
            "DEPLOY_INSTANT|⚡ <@U123> deployed shop#7 instantly",
            "APPLY|🔀 <@U123> applied the changes of shop#7",
            "CANCEL|🛑 <@U123> cancelled the deploy of shop#7",
            "CLOSE|🗂️ <@U123> closed shop#7",
            "REVERT|↩️ <@U123> started a revert of shop#7",
            "SKIP_REVERT|⏭️ <@U123> skipped the revert window of shop#7",
            "UNBLOCK|🔓 <@U123> unblocked the deploy queue after shop#7"})
    void done_saysWhoDidWhat(DeployAction action, String expected) {
        assertThat(Messages.done(action, SHOP_7, "U123")).isEqualTo(expected);
    }

    @Test
    void done_withOddUserId_mentionsNobody() {
        assertThat(Messages.done(DeployAction.APPROVE, SHOP_7, "U1><!channel")).isEqualTo("✅ Someone approved shop#7");
    }

    @Test
    void notApplicable_deployWhenQueued_saysAlreadyQueued() {
        assertThat(Messages.notApplicable(DeployAction.DEPLOY, inState(DeploymentState.QUEUED)))
                .contains("shop#7 is already queued — nothing to deploy");
    }

    @Test
    void notApplicable_applyWhenComplete_namesTheState() {
        assertThat(Messages.notApplicable(DeployAction.APPLY, inState(DeploymentState.COMPLETE_PENDING_REVERT)))
                .contains("shop#7 is not waiting for cutover (it is deployed — revert window open)");
    }

    @Test
    void notApplicable_deployWhenUnapproved_saysItNeedsApproval() {
        SampleDeployRequests sample = sample();
        sample.approved = false;

        assertThat(Messages.notApplicable(DeployAction.DEPLOY, sample.build()))
                .contains("shop#7 needs an approval before it can be deployed");
    }

    @Test
    void notApplicable_onClosedRequest_saysItIsClosed() {
        assertThat(Messages.notApplicable(DeployAction.REVERT, inState(DeploymentState.COMPLETE)))
                .contains("shop#7 is closed (it is deployed) — nothing to revert");
    }

    @ParameterizedTest
    @EnumSource(DeployAction.class)
    void notApplicable_hasWordsForEveryActionAndState(DeployAction action) {
        for (DeploymentState state : DeploymentState.values()) {
            assertThat(Messages.notApplicable(action, inState(state))).contains("shop#7").doesNotContain("null");
        }
    }

    @Test
    void failure_404WhenTokenSeesOrganization_saysNoSuchRequestOrMissingReadAccess() {
        String message = Messages.failure(null, "shop#7", new PlanetScaleException(404, "not_found", "Not Found"), true);

        assertThat(message).contains("No deploy request shop#7 that the service token can see. If it exists, grant"
                + " the token `read_deploy_request` on shop.");
    }

    @Test
    void failure_404ForADatabaseTheTokenDoesNotSee_namesTheOnesItSees_andTheAccessToGrant() {
        PlanetScaleException notFound = new PlanetScaleException(404, "not_found", "Not Found");

        String show = Messages.failure(null, "shpo#2", "acme", notFound, true, List.of("analytics", "shop"));
        String list = Messages.failure(null, "nosuchdb", "acme", notFound, true, List.of("analytics", "shop"));

        assertThat(show).isEqualTo("🔍 No database `shpo` that the service token can see. If it exists, grant the"
                + " token `read_database` and `read_deploy_request` on it. It sees: `analytics`, `shop`.");
        assertThat(list).contains("No database `nosuchdb` that the service token can see")
                .contains("It sees: `analytics`, `shop`.");
    }

    @Test
    void failure_404WhenTokenCannotSeeOrganization_blamesTheToken() {
        String message = Messages.failure(DeployAction.DEPLOY, "shop#7", "acme",
                new PlanetScaleException(404, "not_found", "Not Found"), false);

        assertThat(message).contains("cannot see the organization acme (bad token or no access)");
    }

    @Test
    void failure_404WhenUnknown_doesNotClaimItIsMissing() {
        String message = Messages.failure(null, "shop#7", new PlanetScaleException(404, "not_found", ""), null);

        assertThat(message).contains("Could not find deploy request shop#7").contains("read_deploy_request");
    }

    @Test
    void failure_401_asksForAnAdmin() {
        String message = Messages.failure(null, "databases", new PlanetScaleException(401, "unauthorized", ""), null);

        assertThat(message).contains("rejected").contains("admin").contains("nothing was changed");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "READ", value = {
            "APPROVE, approve_deploy_request", "COMMENT, review_deploy_request", "DEPLOY, create_deploy_request",
            "REVERT, create_deploy_request", "READ, read_deploy_request"})
    void failure_403_namesTheMissingAccess(DeployAction action, String access) {
        String message = Messages.failure(action, "shop#7", new PlanetScaleException(403, "forbidden", ""), true);

        assertThat(message).contains("`" + access + "` on shop").contains("nothing was changed");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 409, 422})
    void failure_refused_showsPlanetScalesMessageEscaped(int status) {
        String message = Messages.failure(DeployAction.DEPLOY, "shop#7",
                new PlanetScaleException(status, "unprocessable", "MoveTables <create> in progress"), true);

        assertThat(message).isEqualTo("🙅 PlanetScale refused to deploy shop#7: MoveTables &lt;create&gt; in progress."
                + " Nothing was changed.");
    }

    @Test
    void failure_429_saysTryAgainInAMinute() {
        String message = Messages.failure(DeployAction.APPLY, "shop#7", new PlanetScaleException(429, "", ""), true);

        assertThat(message).contains("rate limiting").contains("nothing was changed").contains("in a minute");
    }

    @Test
    void failure_5xx_saysUnavailableWithStatus() {
        String message = Messages.failure(DeployAction.DEPLOY, "shop#7", new PlanetScaleException(503, "", ""), true);

        assertThat(message).contains("PlanetScale is unavailable right now (HTTP 503); nothing was changed");
    }

    @Test
    void gatewayErrorOnAWrite_saysTheActionMayHaveHappened() {
        String message = Messages.failure(DeployAction.DEPLOY, "shop#7", new PlanetScaleException(504, "", ""), true);

        assertThat(message).contains("HTTP 504").contains("may or may not have happened").doesNotContain("nothing was changed");
    }

    @Test
    void gatewayErrorOnARead_promisesNothingChanged() {
        String message = Messages.failure(null, "shop#7", new PlanetScaleException(502, "", ""), true);

        assertThat(message).contains("unavailable").contains("nothing was changed");
    }

    @Test
    void failure_networkOnRead_saysNothingChanged() {
        String message = Messages.failure(null, "shop#7", new SocketTimeoutException("timeout"), null);

        assertThat(message).contains("Could not reach PlanetScale").contains("nothing was changed");
    }

    @Test
    void failure_networkOnWrite_saysItMayHaveHappened() {
        String message = Messages.failure(DeployAction.DEPLOY, "shop#7", new IOException("reset"), null);

        assertThat(message).contains("may or may not have happened").contains("press Refresh");
    }

    @Test
    void failure_wrappedInCompletionException_isStillRecognised() {
        String message = Messages.failure(null, "shop#7",
                new CompletionException(new PlanetScaleException(503, "", "")), null);

        assertThat(message).contains("HTTP 503");
    }

    @Test
    void failure_unexpected_apologisesWithoutDetail() {
        String message = Messages.failure(DeployAction.DEPLOY, "shop#7",
                new IllegalStateException("{\"token\":\"pscale_tkn_secret\"} at Foo.java:12"), true);

        assertThat(message).contains("Sorry").doesNotContain("secret", "{", "Exception", "Foo.java");
    }

    @Test
    void denied_escapesThePolicyReason() {
        assertThat(Messages.denied(DeployAction.DEPLOY, "only <!subteam^S1> may deploy"))
                .isEqualTo("🚫 You are not allowed to deploy here: only &lt;!subteam^S1&gt; may deploy.");
        assertThat(Messages.denied("subscribe", null)).isEqualTo("🚫 You are not allowed to subscribe here.");
    }

    @Test
    void selfApproval_asksForATeammate() {
        assertThat(Messages.selfApproval(SHOP_7)).contains("You opened shop#7").contains("teammate");
    }

    @Test
    void sandboxMarker_isVisible() {
        assertThat(SandboxMarker.ON.text("hi")).isEqualTo("hi\n🧪 Sandbox — simulated PlanetScale");
        assertThat(SandboxMarker.OFF.text("hi")).isEqualTo("hi");
    }

    @Test
    void transition_opened_namesAuthorAndBranches() {
        assertThat(Messages.transition(EventType.DEPLOY_REQUEST_OPENED, inState(DeploymentState.PENDING)))
                .startsWith("📝 shop#7 opened by Jane Doe — `add-orders-index` → `main` · <!date^");
    }

    @Test
    void transition_queued_namesTheDeployer() {
        assertThat(Messages.transition(EventType.DEPLOY_REQUEST_QUEUED, inState(DeploymentState.QUEUED)))
                .contains("queued for deploy by Sam Deployer");
    }

    @Test
    void transition_inProgress_showsProgress() {
        SampleDeployRequests sample = sample();
        sample.deploymentState = DeploymentState.IN_PROGRESS;
        sample.operations = List.of(SampleDeployRequests.operation("orders", "ALTER", false, 42.0));

        assertThat(Messages.transition(EventType.DEPLOY_REQUEST_IN_PROGRESS, sample.build())).contains("is deploying (42%)");
    }

    @Test
    void transition_pendingCutover_saysPressApply() {
        assertThat(Messages.transition(EventType.DEPLOY_REQUEST_PENDING_CUTOVER, inState(DeploymentState.PENDING_CUTOVER)))
                .contains("ready to apply — press Apply changes");
    }

    @Test
    void transition_schemaApplied_saysWhenTheRevertWindowCloses() {
        assertThat(Messages.transition(EventType.DEPLOY_REQUEST_SCHEMA_APPLIED, inState(DeploymentState.COMPLETE_PENDING_REVERT)))
                .contains("schema applied by Cut Over")
                .contains("revert window closes " + Mrkdwn.date(Instant.parse("2026-11-21T12:30:00Z")));
    }

    @Test
    void transition_errored_showsTheFirstLintErrorsEscaped() {
        SampleDeployRequests sample = sample();
        sample.deploymentState = DeploymentState.ERROR;
        sample.lintErrors = List.of(lintError("orders", "no <unique> key"), lintError("a", "x"), lintError("b", "y"));

        assertThat(Messages.transition(EventType.DEPLOY_REQUEST_ERRORED, sample.build()))
                .contains("errored").contains("`orders`: no &lt;unique&gt; key").contains("(and 1 more)");
    }

    @Test
    void transition_reverted_saysTheRevertStarted() {
        assertThat(Messages.transition(EventType.DEPLOY_REQUEST_REVERTED, inState(DeploymentState.IN_PROGRESS_REVERT)))
                .contains("revert started by Rev Erter");
    }

    @Test
    void transition_closed_distinguishesRevertedDeployedAndUnmerged() {
        SampleDeployRequests unmerged = sample();
        unmerged.state = RequestState.CLOSED;
        unmerged.closedBy = new Actor("u9", "<!channel> Closer");

        assertThat(Messages.transition(EventType.DEPLOY_REQUEST_CLOSED, inState(DeploymentState.COMPLETE_REVERT))).contains("reverted and closed");
        assertThat(Messages.transition(EventType.DEPLOY_REQUEST_CLOSED, inState(DeploymentState.COMPLETE))).contains("deployed and closed");
        assertThat(Messages.transition(EventType.DEPLOY_REQUEST_CLOSED, unmerged.build()))
                .contains("closed without deploying by &lt;!channel&gt; Closer");
    }

    @Test
    void transition_unknownEvent_isNeutral() {
        assertThat(Messages.transition(EventType.UNKNOWN, inState(DeploymentState.READY)))
                .startsWith("ℹ️ shop#7: PlanetScale reported `an event` — now ready to deploy");
    }

    @Test
    void revertReminder_mentionsAndSaysHowLongIsLeft() {
        String message = Messages.revertReminder(inState(DeploymentState.COMPLETE_PENDING_REVERT), "<@U123>",
                Instant.parse("2026-11-21T12:25:00Z"));

        assertThat(message).isEqualTo("⏰ <@U123> the revert window for shop#7 closes "
                + Mrkdwn.date(Instant.parse("2026-11-21T12:30:00Z")) + " (in 5 minutes). Revert or skip it now.");
    }

    @Test
    void revertReminder_withoutMention_stillReads() {
        assertThat(Messages.revertReminder(inState(DeploymentState.COMPLETE_PENDING_REVERT), null))
                .startsWith("⏰ the revert window for shop#7 closes <!date^");
    }

    @Test
    void webhookWorks_namesTheDatabase() {
        assertThat(Messages.webhookWorks("shop")).startsWith("✅ Webhook works for shop").contains("notifications work");
    }

    @Test
    void transition_creditsTheSlackUserWhoActedThroughCutover_insteadOfTheServiceToken() {
        var request = SampleDeployRequests.inState(dev.cutover.deploy.DeploymentState.QUEUED);

        String line = Messages.transition(EventType.DEPLOY_REQUEST_QUEUED, request, java.util.Optional.of("U0ALICE"));

        assertThat(line).contains("by <@U0ALICE> via Cutover");
    }

    @Test
    void transition_neverMentionsSomethingThatIsNotASlackUserId() {
        var request = SampleDeployRequests.inState(dev.cutover.deploy.DeploymentState.QUEUED);

        String line = Messages.transition(EventType.DEPLOY_REQUEST_QUEUED, request, java.util.Optional.of("<!channel>"));

        assertThat(line).doesNotContain("<!channel>");
    }
}
