package dev.cutover.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.store.PostgresStore;
import dev.cutover.store.Subscription;
import dev.cutover.testing.ChildCutover;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.ScriptedPlanetScale;
import dev.cutover.testing.Signatures;
import dev.cutover.testing.SlackPayloads;
import dev.cutover.testing.TestPostgres;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two replicas on one PostgreSQL: one PlanetScale write for two clicks, and a leader that fails over. */
class FleetCoordinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS).build();

    @Test
    @Timeout(120)
    void twoClicksOnOneCard_throughTwoReplicas_makeOnePlanetScaleWrite() throws Exception {
        try (FakeSlackApi slack = new FakeSlackApi().start();
                ScriptedPlanetScale planetScale = new ScriptedPlanetScale().start()) {
            planetScale.rememberWrites();
            // Slow answers: without a lock both replicas would read "revert possible" before either wrote.
            planetScale.delayEveryAnswer(Duration.ofMillis(300));
            try (ReplicaFleet fleet = new ReplicaFleet(slack, Map.of("PLANETSCALE_API_URL", planetScale.apiUrl()))) {
                int a = ChildCutover.freePort();
                int b = ChildCutover.freePort();
                fleet.start(a);
                fleet.start(b);
                String value = new DeployRef(RunningCutover.ORG, "shop", 7).toButtonValue();

                CompletableFuture<Integer> alice = CompletableFuture.supplyAsync(() -> click(a, "U0ALICE", value,
                        slack.responseUrl("alice")));
                CompletableFuture<Integer> bob = CompletableFuture.supplyAsync(() -> click(b, "U0BOB", value,
                        slack.responseUrl("bob")));

                assertThat(alice.get()).isEqualTo(200);
                assertThat(bob.get()).isEqualTo(200);
                // Revert asks in a modal (it loses data written since); both confirm at once, each on its replica.
                await().atMost(Duration.ofSeconds(30)).until(() -> slack.openedViews().size() >= 2);
                List<JsonNode> views = slack.openedViews();
                CompletableFuture<Integer> aliceConfirms = CompletableFuture.supplyAsync(() -> submit(a, "U0ALICE",
                        views.get(0)));
                CompletableFuture<Integer> bobConfirms = CompletableFuture.supplyAsync(() -> submit(b, "U0BOB",
                        views.get(1)));
                assertThat(aliceConfirms.get()).isEqualTo(200);
                assertThat(bobConfirms.get()).isEqualTo(200);
                String revert = ScriptedPlanetScale.path("shop", 7, "revert");
                // Both clicks are answered once each replica is done with its deploy request.
                await().atMost(Duration.ofSeconds(30)).until(() -> !slack.responses("alice").isEmpty()
                        && !slack.responses("bob").isEmpty());
                List<ScriptedPlanetScale.Received> writes = planetScale.requests("POST", revert);
                assertThat(writes).hasSize(1);
                assertThat(planetScale.writes()).hasSize(1);
            }
        }
    }

    /**
     * A revert window closing within the reminder's lead, its deploy request's event delivered by one replica: the
     * reminder is posted once in the thread, by whichever replica leads, and never by both (reminders are a fleet
     * job; each replica polls for due ones every second).
     */
    @Test
    @Timeout(120)
    void aDueRevertReminder_isPostedOnce_acrossTwoReplicas() throws Exception {
        try (FakeSlackApi slack = new FakeSlackApi().start();
                ScriptedPlanetScale planetScale = new ScriptedPlanetScale().start()) {
            ObjectNode request = ScriptedPlanetScale.deployRequest("shop", 7, "complete_pending_revert");
            String now = Instant.now().toString();
            request.put("updated_at", now);
            // Four minutes left: inside the five-minute lead, so the reminder is due as soon as it is scheduled.
            ((ObjectNode) request.path("deployment").path("deployment_revert_request"))
                    .put("waiting_period_end_at", Instant.now().plus(Duration.ofMinutes(4)).toString());
            MockResponse[] reads = new MockResponse[200];
            java.util.Arrays.fill(reads, ScriptedPlanetScale.json(200, request.toString()));
            planetScale.answerNext("GET", ScriptedPlanetScale.path("shop", 7, null), reads);
            try (ReplicaFleet fleet = new ReplicaFleet(slack, Map.of("PLANETSCALE_API_URL", planetScale.apiUrl()))) {
                try (PostgresStore store = PostgresStore.open(new PostgresStore.Connection(fleet.databaseUrl, null,
                        null, "test", Duration.ofSeconds(30)), new FakeClock())) {
                    store.subscriptions().subscribe(new Subscription("C0DEPLOYS", "shop", Set.of(Subscription.DEPLOYS),
                            "U0ADMIN", Instant.parse("2026-11-21T11:00:00Z")));
                }
                int a = ChildCutover.freePort();
                int b = ChildCutover.freePort();
                fleet.start(a);
                await().atMost(Duration.ofSeconds(10)).until(() -> ReplicaFleet.isLeader(a));
                fleet.start(b);
                ObjectNode body = JSON.createObjectNode().put("timestamp", Instant.now().getEpochSecond())
                        .put("event", "deploy_request.schema_applied").put("organization", RunningCutover.ORG)
                        .put("database", "shop");
                body.set("resource", request);

                // Delivered by the replica that does not lead; the reminder is the leader's job.
                assertThat(ChildCutover.postWebhook(b, JSON.writeValueAsBytes(body))).isEqualTo(200);

                await().atMost(Duration.ofSeconds(30)).until(() -> reminders(slack) >= 1);
                // Both replicas keep polling for due reminders every second: five seconds of nothing more.
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> reminders(slack) == 1);
            }
        }
    }

    private static long reminders(FakeSlackApi slack) {
        return slack.postedIn("C0DEPLOYS").stream().filter(post -> post.param("text").startsWith("⏰")).count();
    }

    @Test
    @Timeout(120)
    void whenTheLeaderIsKilled_anotherReplicaRunsThePeriodicJobs_withinALeasePeriod() throws Exception {
        try (FakeSlackApi slack = new FakeSlackApi().start();
                ReplicaFleet fleet = new ReplicaFleet(slack, Map.of())) {
            int a = ChildCutover.freePort();
            int b = ChildCutover.freePort();
            fleet.start(a);
            await().atMost(Duration.ofSeconds(10)).until(() -> ReplicaFleet.isLeader(a));
            fleet.start(b);
            assertThat(ReplicaFleet.isLeader(b)).isFalse();
            assertThat(ReplicaFleet.health(b)).contains("\"store\":\"postgresql\"").contains("\"replica\":\"replica-"
                    + b + "/");

            fleet.kill(a);
            long killed = System.nanoTime();
            // The lease outlives its holder by at most one period; the survivor tries every third of one, and
            // this poll every 50 ms: one period plus that cadence, with a second of margin for a loaded machine.
            await().atMost(Duration.ofSeconds(ReplicaFleet.LEASE_SECONDS).plusSeconds(1))
                    .pollInterval(Duration.ofMillis(50)).until(() -> ReplicaFleet.isLeader(b));
            Duration failover = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(failover).isLessThan(Duration.ofSeconds(ReplicaFleet.LEASE_SECONDS).plusSeconds(1));

            fleet.start(a);
            assertThat(ReplicaFleet.isLeader(a)).as("a restarted replica leaves the leader be").isFalse();
            assertThat(ReplicaFleet.isLeader(b)).isTrue();
        }
    }

    @Test
    @Timeout(120)
    void aReplicaThatCannotReachTheStore_isNotReady_butStaysAlive() throws Exception {
        try (FakeSlackApi slack = new FakeSlackApi().start();
                ReplicaFleet fleet = new ReplicaFleet(slack, Map.of())) {
            int a = ChildCutover.freePort();
            fleet.start(a);
            assertThat(status(a, "/healthz")).isEqualTo(200);

            TestPostgres.dropDatabase(fleet.databaseUrl);

            await().atMost(Duration.ofSeconds(20)).until(() -> status(a, "/healthz") == 503);
            assertThat(ReplicaFleet.health(a)).contains("cannot be reached");
            assertThat(status(a, "/healthz?live")).isEqualTo(200);
        }
    }

    private static int status(int port, String path) throws IOException {
        try (Response response = HTTP.newCall(new Request.Builder().url("http://127.0.0.1:" + port + path).build())
                .execute()) {
            return response.code();
        }
    }

    private static int click(int port, String user, String value, String responseUrl) {
        return post(port, RunningCutover.formBody(Map.of("payload", SlackPayloads.click(user, "C0DEPLOYS",
                "1700000000.000100", false, DeployAction.REVERT.actionId(), value, null, responseUrl).toString())));
    }

    private static int submit(int port, String user, JsonNode view) {
        return post(port, RunningCutover.formBody(Map.of("payload",
                SlackPayloads.viewSubmission(user, view, "confirm_name", "name", null).toString())));
    }

    private static int post(int port, byte[] body) {
        long now = System.currentTimeMillis() / 1000;
        Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/slack/events")
                .header("X-Slack-Request-Timestamp", Long.toString(now))
                .header("X-Slack-Signature", Signatures.slack(RunningCutover.SIGNING_SECRET, now, body))
                .post(RequestBody.create(body, MediaType.get("application/x-www-form-urlencoded"))).build();
        try (Response response = HTTP.newCall(request).execute()) {
            return response.code();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
