package dev.cutover.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bursts into one channel, over real HTTP, with the fake Slack counting posts and updates and time moved only
 * through the fake clock: a backlog waiting for Slack's pace wakes the outbox once per slot, not once per event,
 * and transitions of one deploy request that pile up behind the pace reach Slack as one card update and one reply.
 */
@Timeout(60)
class PacedBurstTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SCENARIOS = new AtomicInteger();
    private static final Pattern PACED = Pattern.compile(
            "cutover_deliveries_total\\{[^}]*outcome=\"paced\"[^}]*} ([0-9.]+)");
    /** Each deploy request's transitions in order: event, deployment_state; the last is what its card must show. */
    private static final String[][] LIFE = {
        {"deploy_request.opened", "ready"},
        {"deploy_request.queued", "queued"},
        {"deploy_request.in_progress", "in_progress"},
        {"deploy_request.pending_cutover", "pending_cutover"},
        {"deploy_request.queued", "queued"},
        {"deploy_request.in_progress", "in_progress"},
        {"deploy_request.pending_cutover", "pending_cutover"},
        {"deploy_request.schema_applied", "complete_pending_revert"},
        {"deploy_request.reverted", "in_progress_revert"},
        {"deploy_request.reverted", "complete_revert"},
    };

    @RegisterExtension
    static final CutoverExtension cutover = CutoverExtension.sandbox();
    static final FakeSlackApi slack = cutover.slack();
    static final FakeClock clock = cutover.clock();

    String database;
    String channel;

    @BeforeEach
    void newScenario() throws Exception {
        int scenario = SCENARIOS.incrementAndGet();
        database = "db" + scenario + "-burst";
        channel = "C0BURST" + scenario;
        cutover.service().simulator().setDatabase(database, false);
        clock.advance(Duration.ofMinutes(10)); // earlier scenarios' bookings are long gone
        String name = "subscribe-" + channel;
        cutover.service().command("U0ALICE", channel, "subscribe " + database, slack.responseUrl(name));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses(name).isEmpty());
    }

    @Test
    void backlogWaitingForThePace_wakesOncePerSlot_notOncePerEvent() throws Exception {
        int requests = 40;
        for (int number = 1; number <= requests; number++) {
            assertThat(cutover.service().webhook(body(number, 0)).status()).isEqualTo(200);
        }
        // The first passes post the burst and book every other post its own slot, once.
        drainAtThisInstant();
        double pacedBefore = paced();
        assertThat(slack.posts(channel)).hasSize(5);

        List<Integer> pacedPerSecond = new ArrayList<>();
        List<Integer> postsPerSecond = new ArrayList<>();
        for (int second = 1; second <= 10; second++) {
            int posts = slack.posts(channel).size();
            double paced = paced();
            clock.advance(Duration.ofSeconds(1));
            drainAtThisInstant();
            pacedPerSecond.add((int) (paced() - paced));
            postsPerSecond.add(slack.posts(channel).size() - posts);
        }

        // Without bookings all 35 waiting events became due each second and were paced again (35 writes/s).
        assertThat(pacedBefore).isGreaterThanOrEqualTo(requests - 5);
        assertThat(pacedPerSecond).allMatch(paced -> paced <= 1);
        assertThat(postsPerSecond).allMatch(posts -> posts == 1);
        assertThat(cutover.service().get("/healthz").body()).contains("\"outbox\":" + (requests - 15));
    }

    @Test
    void burstOf200Transitions_over20DeployRequests_everyCardCurrentWithin30s_nothingLostOrTwice()
            throws Exception {
        int requests = 20;
        for (int step = 0; step < LIFE.length; step++) {
            for (int number = 1; number <= requests; number++) {
                assertThat(cutover.service().webhook(body(number, step)).status()).isEqualTo(200);
            }
        }
        Instant start = clock.instant();

        Optional<Duration> allCurrent = Optional.empty();
        for (int second = 0; second <= 120 && !outboxEmpty(); second++) {
            drainAtThisInstant();
            if (allCurrent.isEmpty() && allCardsShow("Reverted", requests)) {
                allCurrent = Optional.of(Duration.between(start, clock.instant()));
            }
            clock.advance(Duration.ofSeconds(1));
        }
        drainAtThisInstant();

        assertThat(outboxEmpty()).isTrue();
        assertThat(allCurrent).hasValueSatisfying(took -> assertThat(took).isLessThanOrEqualTo(Duration.ofSeconds(30)));
        assertThat(slack.posts(channel)).hasSize(requests);
        for (int number = 1; number <= requests; number++) {
            String ref = database + "#" + number;
            String threadTs = slack.tsOf(parent(ref).orElseThrow());
            List<String> lines = slack.replies(channel, threadTs).stream()
                    .flatMap(reply -> reply.param("text").lines()).filter(line -> line.contains(ref)).toList();
            // Every transition after "opened" listed exactly once; far fewer replies than transitions.
            assertThat(lines).as(ref).hasSize(LIFE.length - 1);
            assertThat(slack.replies(channel, threadTs)).as(ref).hasSizeLessThan(LIFE.length - 1);
        }
        assertThat(slack.calls("chat.postMessage").stream().filter(call -> channel.equals(call.param("channel"))))
                .extracting(call -> call.param("text")).doesNotHaveDuplicates();
    }

    @Test
    void newTransition_ofADeployRequestWaitingForItsSlot_updatesTheCardAtOnce() throws Exception {
        for (int number = 1; number <= 12; number++) {
            cutover.service().webhook(body(number, 0));
        }
        drainAtThisInstant(); // 5 cards posted, 7 booked the next seconds
        String threadTs = slack.tsOf(parent(database + "#1").orElseThrow());

        cutover.service().webhook(body(1, 1)); // queued: the card moves now, its reply is booked after the 7
        drainAtThisInstant();
        String queued = String.valueOf(slack.lastUpdate(channel, threadTs).orElseThrow().blocks());
        cutover.service().webhook(body(1, 2)); // in progress, while "queued" still waits for its slot
        drainAtThisInstant();
        String inProgress = String.valueOf(slack.lastUpdate(channel, threadTs).orElseThrow().blocks());
        int repliesBeforeTheSlot = slack.replies(channel, threadTs).size();
        for (int second = 0; second < 10; second++) {
            clock.advance(Duration.ofSeconds(1));
            drainAtThisInstant();
        }

        assertThat(queued).contains("Queued");
        assertThat(inProgress).contains("Deploying");
        assertThat(repliesBeforeTheSlot).isZero();
        assertThat(slack.replies(channel, threadTs)).singleElement().satisfies(reply -> assertThat(reply.param("text"))
                .contains("queued for deploy").contains("is deploying"));
    }

    // ---- helpers ----

    /** Passes at the current instant until nothing more is due then (the worker thread may run some too). */
    private void drainAtThisInstant() {
        while (cutover.service().cutover().deliverNow() > 0) {
            // keep going: each pass hands out the next event of each deploy request
        }
    }

    private boolean allCardsShow(String label, int requests) {
        for (int number = 1; number <= requests; number++) {
            Optional<FakeSlackApi.Call> parent = parent(database + "#" + number);
            if (parent.isEmpty()) {
                return false;
            }
            FakeSlackApi.Call shown = slack.lastUpdate(channel, slack.tsOf(parent.get())).orElse(parent.get());
            if (!String.valueOf(shown.blocks()).contains(label)) {
                return false;
            }
        }
        return true;
    }

    private Optional<FakeSlackApi.Call> parent(String ref) {
        return slack.posts(channel).stream().filter(post -> post.param("text").contains(ref + " ")
                || post.param("text").endsWith(ref)).findFirst();
    }

    private boolean outboxEmpty() throws IOException {
        return cutover.service().get("/healthz").body().contains("\"outbox\":0");
    }

    private double paced() throws IOException {
        Matcher matcher = PACED.matcher(cutover.service().get("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /** Deploy request {@code number}'s webhook for step {@code step} of {@link #LIFE}, a second after the last. */
    private byte[] body(int number, int step) throws IOException {
        ObjectNode envelope;
        try (InputStream in = getClass().getResourceAsStream("/planetscale/webhook-deploy-request-queued.json")) {
            envelope = (ObjectNode) JSON.readTree(in);
        }
        String updatedAt = Instant.parse("2026-12-01T00:00:00Z").plusSeconds(number * 100L + step).toString();
        envelope.put("event", LIFE[step][0]);
        envelope.put("organization", RunningCutover.ORG);
        envelope.put("database", database);
        ObjectNode resource = (ObjectNode) envelope.get("resource");
        resource.put("id", database + "-dr-" + number);
        resource.put("number", number);
        resource.put("branch", "change-" + number);
        resource.put("deployment_state", LIFE[step][1]);
        resource.put("updated_at", updatedAt);
        resource.put("html_url", "https://app.planetscale.com/" + RunningCutover.ORG + "/" + database
                + "/deploy-requests/" + number);
        ((ObjectNode) resource.get("deployment")).put("deploy_request_number", number);
        return JSON.writeValueAsBytes(envelope);
    }
}
