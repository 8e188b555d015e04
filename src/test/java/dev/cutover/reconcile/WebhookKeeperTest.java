package dev.cutover.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.sandbox.PlanetScaleSimulator;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Self-healing webhooks over real transports: {@code /pscale webhooks setup} creates PlanetScale's webhook (the
 * sandbox's API), its test event comes back signed with the new secret and is confirmed in Slack; a webhook that
 * PlanetScale disables is reported in the admin channel, re-enabled from its button (or automatically), and
 * reconciliation fills the gap.
 */
@Timeout(60)
class WebhookKeeperTest {
    static final String ALICE = "U0ALICE";
    static final String ADMIN_CHANNEL = "C0ADMIN";
    static final Actor AUTHOR = new Actor("carol", "Carol Author");
    static final Duration PERIOD = Duration.ofSeconds(10);
    private static final AtomicInteger SCENARIOS = new AtomicInteger();

    @RegisterExtension
    final CutoverExtension service = CutoverExtension.sandbox()
            .env("CUTOVER_ADMIN_CHANNEL", ADMIN_CHANNEL)
            .env("CUTOVER_RECONCILE_SECONDS", Long.toString(PERIOD.toSeconds()));
    FakeSlackApi slack;
    FakeClock clock;
    RunningCutover cutover;
    PlanetScaleSimulator simulator;
    String database;
    String channel;

    @BeforeEach
    void start() throws Exception {
        slack = service.slack();
        clock = service.clock();
        use(service.service());
    }

    private void use(RunningCutover running) throws Exception {
        cutover = running;
        simulator = running.simulator();
        simulator.webhookUrl(null); // no hand-made webhook: only the one set up from Slack delivers
        int scenario = SCENARIOS.incrementAndGet();
        database = "hooked" + scenario;
        channel = "C0HOOK" + scenario;
        simulator.setDatabase(database, false);
        command("subscribe " + database, "subscribe-" + channel);
    }

    @Test
    void setupFromSlack_createsTheWebhook_andPlanetScalesTestEventComesBackConfirmed() throws Exception {
        String answer = command("webhooks setup " + database, "setup-" + channel);

        assertThat(answer).contains("created PlanetScale's webhook for *" + database + "*")
                .contains(cutover.url("/webhooks/planetscale"));
        List<String> ids = simulator.webhookIds(database);
        assertThat(ids).hasSize(1);
        assertThat(simulator.isWebhookEnabled(database, ids.get(0))).isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> texts(channel).stream()
                .anyMatch(text -> text.contains("PlanetScale's test event for *" + database + "* arrived")));

        int number = simulator.createDeployRequest(DeployRequestSeed.of(database, "add-index", AUTHOR,
                List.of("ALTER TABLE t ADD INDEX i (c)")));
        await().atMost(Duration.ofSeconds(15)).until(() -> texts(channel).stream()
                .anyMatch(text -> text.contains(database + "#" + number))); // signed with the new secret: accepted
    }

    @Test
    void setup_isAnAdminAction_inThePolicy() throws Exception {
        service.restartFresh(Map.of("CUTOVER_POLICY_FILE", writePolicy()));
        use(service.service());

        String answer = command("webhooks setup " + database, "denied-" + channel);

        assertThat(answer).contains("admin");
        assertThat(simulator.webhookIds(database)).isEmpty();
    }

    @Test
    void aDisabledWebhook_isReported_reenabledFromItsButton_andTheGapIsBackFilled() throws Exception {
        setUp();
        simulator.breakWebhookDeliveries(database, true); // Cutover unreachable: PlanetScale gives up after 3 failures
        for (int i = 1; i <= 3; i++) {
            simulator.createDeployRequest(DeployRequestSeed.of(database, "branch-" + i, AUTHOR,
                    List.of("ALTER TABLE t ADD COLUMN c" + i + " INT")));
        }
        String webhookId = simulator.webhookIds(database).get(0);
        assertThat(simulator.isWebhookEnabled(database, webhookId)).isFalse();
        simulator.breakWebhookDeliveries(database, false);

        reconcileAfter(PERIOD);

        assertThat(cardsIn(channel)).as("the gap: three deploy requests, each with its thread").hasSize(3);
        List<FakeSlackApi.Call> reports = slack.posts(ADMIN_CHANNEL);
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).param("text")).contains("PlanetScale disabled Cutover's webhook for *" + database)
                .contains("Connection refused");
        JsonNode blocks = reports.get(0).blocks();
        assertThat(Cards.actionIds(blocks)).containsExactly(WebhookKeeper.REENABLE_ACTION_ID);

        cutover.click(ALICE, ADMIN_CHANNEL, slack.tsOf(reports.get(0)), false, WebhookKeeper.REENABLE_ACTION_ID,
                database, blocks, slack.responseUrl("reenable"));
        await().atMost(Duration.ofSeconds(15)).until(() -> !slack.responses("reenable").isEmpty());
        assertThat(slack.responses("reenable").get(0).body().toString()).contains("re-enabled Cutover's webhook");
        assertThat(simulator.isWebhookEnabled(database, webhookId)).isTrue();

        int fast = simulator.createDeployRequest(DeployRequestSeed.of(database, "branch-4", AUTHOR,
                List.of("ALTER TABLE t ADD COLUMN c4 INT")));
        await().atMost(Duration.ofSeconds(15)).until(() -> texts(channel).stream()
                .anyMatch(text -> text.contains(database + "#" + fast))); // the webhook delivers again
        reconcileAfter(PERIOD);
        assertThat(slack.posts(ADMIN_CHANNEL)).as("reported once").hasSize(1);
        assertThat(cardsIn(channel)).hasSize(4);
    }

    @Test
    void whenOptedIn_aDisabledWebhookIsReenabledAutomatically() throws Exception {
        service.restartFresh(Map.of("CUTOVER_WEBHOOK_AUTO_REENABLE", "true"));
        use(service.service());
        setUp();
        simulator.breakWebhookDeliveries(database, true);
        for (int i = 1; i <= 3; i++) {
            simulator.createDeployRequest(DeployRequestSeed.of(database, "branch-" + i, AUTHOR,
                    List.of("ALTER TABLE t ADD COLUMN c" + i + " INT")));
        }
        simulator.breakWebhookDeliveries(database, false);

        reconcileAfter(PERIOD);

        assertThat(simulator.isWebhookEnabled(database, simulator.webhookIds(database).get(0))).isTrue();
        assertThat(slack.posts(ADMIN_CHANNEL)).singleElement().satisfies(post -> assertThat(post.param("text"))
                .contains("re-enabled it"));
        assertThat(cardsIn(channel)).hasSize(3);
    }

    @Test
    void aFailedLastDelivery_isReportedWithPlanetScalesResult() throws Exception {
        setUp();
        simulator.breakWebhookDeliveries(database, true);
        simulator.createDeployRequest(DeployRequestSeed.of(database, "branch-1", AUTHOR,
                List.of("ALTER TABLE t ADD COLUMN c1 INT")));

        reconcileAfter(PERIOD);

        assertThat(slack.posts(ADMIN_CHANNEL)).singleElement().satisfies(post -> assertThat(post.param("text"))
                .contains("last webhook delivery to Cutover for *" + database + "* failed")
                .contains("Connection refused"));
    }

    // --- helpers ---

    private void setUp() throws Exception {
        command("webhooks setup " + database, "setup-" + channel);
        await().atMost(Duration.ofSeconds(15)).until(() -> texts(channel).stream()
                .anyMatch(text -> text.contains("test event for *" + database + "* arrived")));
    }

    private String command(String text, String answers) throws Exception {
        cutover.command(ALICE, channel, text, slack.responseUrl(answers));
        await().atMost(Duration.ofSeconds(15)).until(() -> !slack.responses(answers).isEmpty());
        return slack.responses(answers).get(0).body().path("text").asText();
    }

    private void reconcileAfter(Duration period) {
        clock.advance(period);
        assertThat(cutover.cutover().reconcileDue()).isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> cutover.get("/healthz").body().contains("\"outbox\":0"));
    }

    private List<String> texts(String inChannel) {
        return slack.posts(inChannel).stream().map(call -> call.param("text")).toList();
    }

    private List<FakeSlackApi.Call> cardsIn(String inChannel) {
        return slack.posts(inChannel).stream().filter(call -> call.param("text").contains(database + "#")).toList();
    }

    private String writePolicy() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("policy", ".yml");
        java.nio.file.Files.writeString(file, "rules:\n  - actions: [admin]\n    databases: [\"*\"]\n"
                + "    allow: [U0SOMEONEELSE]\n");
        file.toFile().deleteOnExit();
        return file.toString();
    }
}
