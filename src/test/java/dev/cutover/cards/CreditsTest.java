package dev.cutover.cards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.EventType;
import dev.cutover.store.ActionEntry;
import dev.cutover.store.ActionLog;
import dev.cutover.store.SqliteStore;
import dev.cutover.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who a thread reply credits, from the action log in a real store (so it holds across restarts). */
class CreditsTest {
    static final DeployRef SHOP_7 = new DeployRef("acme", "shop", 7);

    @TempDir
    Path dataDir;
    final FakeClock clock = new FakeClock();
    SqliteStore store;
    ActionLog log;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dataDir, clock);
        log = store.actions();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void queuedEvent_isCreditedToWhoeverDeployedThroughCutover() {
        record(SHOP_7, DeployAction.APPROVE, "U0BOB");
        record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");

        assertThat(creditFor(SHOP_7, EventType.DEPLOY_REQUEST_QUEUED)).contains("U0ALICE");
    }

    @Test
    void eventNobodyCausedThroughCutover_isCreditedToNobody() {
        record(SHOP_7, DeployAction.APPROVE, "U0BOB");

        assertThat(creditFor(SHOP_7, EventType.DEPLOY_REQUEST_QUEUED)).isEmpty();
        assertThat(creditFor(SHOP_7, EventType.DEPLOY_REQUEST_IN_PROGRESS)).isEmpty();
    }

    @Test
    void schemaApplied_andTheReminder_goToWhoeverAppliedAfterWhoeverDeployed() {
        record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");
        record(SHOP_7, DeployAction.APPLY, "U0CAROL");

        assertThat(creditFor(SHOP_7, EventType.DEPLOY_REQUEST_SCHEMA_APPLIED)).contains("U0CAROL");
        assertThat(Credits.deployer(log.recent(SHOP_7, 20), clock.instant())).contains("U0CAROL");
    }

    @Test
    void closedAfterSkippingTheRevertWindow_isCreditedToWhoeverSkipped() {
        record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");
        record(SHOP_7, DeployAction.SKIP_REVERT, "U0DAN");

        assertThat(creditFor(SHOP_7, EventType.DEPLOY_REQUEST_CLOSED)).contains("U0DAN");
    }

    @Test
    void anotherDeployRequest_isNotConfused() {
        record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");

        assertThat(creditFor(new DeployRef("acme", "shop", 8), EventType.DEPLOY_REQUEST_QUEUED)).isEmpty();
    }

    @Test
    void refusedAction_isForgotten_butSomeoneElsesLaterActionIsKept() {
        ActionEntry refused = record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");
        log.forget(refused);
        record(SHOP_7, DeployAction.REVERT, "U0BOB");

        assertThat(creditFor(SHOP_7, EventType.DEPLOY_REQUEST_QUEUED)).isEmpty();
        assertThat(creditFor(SHOP_7, EventType.DEPLOY_REQUEST_REVERTED)).contains("U0BOB");
    }

    @Test
    void anActionFromLongAgo_causedNothingPlanetScaleReportsNow() {
        record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");

        clock.advance(Credits.REMEMBERED_FOR.plus(Duration.ofMinutes(1)));

        assertThat(creditFor(SHOP_7, EventType.DEPLOY_REQUEST_QUEUED)).isEmpty();
    }

    @Test
    void credits_surviveARestart() {
        record(SHOP_7, DeployAction.DEPLOY, "U0ALICE");

        store.close();
        store = SqliteStore.open(dataDir, clock);
        log = store.actions();

        assertThat(creditFor(SHOP_7, EventType.DEPLOY_REQUEST_QUEUED)).contains("U0ALICE");
    }

    private ActionEntry record(DeployRef ref, DeployAction action, String user) {
        ActionEntry entry = log.record(ref, action, user, clock.instant());
        clock.advance(Duration.ofSeconds(1));
        return entry;
    }

    private Optional<String> creditFor(DeployRef ref, EventType type) {
        return Credits.slackActorBehind(type, log.recent(ref, 20), clock.instant());
    }
}
