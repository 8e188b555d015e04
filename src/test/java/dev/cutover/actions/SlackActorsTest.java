package dev.cutover.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import org.junit.jupiter.api.Test;

class SlackActorsTest {
    static final DeployRef SHOP_7 = new DeployRef("acme", "shop", 7);
    final SlackActors actors = new SlackActors();

    @Test
    void queuedEvent_isCreditedToWhoeverDeployedThroughCutover() {
        actors.record(SHOP_7, DeployAction.APPROVE, "U0BOB");
        actors.record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");

        assertThat(actors.causeOf(SHOP_7, "deploy_request.queued")).contains("U0ALICE");
    }

    @Test
    void eventNobodyCausedThroughCutover_isCreditedToNobody() {
        actors.record(SHOP_7, DeployAction.APPROVE, "U0BOB");

        assertThat(actors.causeOf(SHOP_7, "deploy_request.queued")).isEmpty();
        assertThat(actors.causeOf(SHOP_7, "deploy_request.in_progress")).isEmpty();
    }

    @Test
    void schemaApplied_andTheReminder_goToWhoeverAppliedBeforeWhoeverDeployed() {
        actors.record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");
        actors.record(SHOP_7, DeployAction.APPLY, "U0CAROL");

        assertThat(actors.causeOf(SHOP_7, "deploy_request.schema_applied")).contains("U0CAROL");
        assertThat(actors.deployer(SHOP_7)).contains("U0CAROL");
    }

    @Test
    void closedAfterSkippingTheRevertWindow_isCreditedToWhoeverSkipped() {
        actors.record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");
        actors.record(SHOP_7, DeployAction.SKIP_REVERT, "U0DAN");

        assertThat(actors.causeOf(SHOP_7, "deploy_request.closed")).contains("U0DAN");
    }

    @Test
    void anotherDeployRequest_isNotConfused() {
        actors.record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");

        assertThat(actors.causeOf(new DeployRef("acme", "shop", 8), "deploy_request.queued")).isEmpty();
    }

    @Test
    void refusedAction_isForgotten_butSomeoneElsesLaterActionIsKept() {
        actors.record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");
        actors.forget(SHOP_7, DeployAction.DEPLOY, "U0ALICE");
        actors.record(SHOP_7, DeployAction.REVERT, "U0BOB");
        actors.forget(SHOP_7, DeployAction.REVERT, "U0ALICE");

        assertThat(actors.causeOf(SHOP_7, "deploy_request.queued")).isEmpty();
        assertThat(actors.causeOf(SHOP_7, "deploy_request.reverted")).contains("U0BOB");
    }
}
