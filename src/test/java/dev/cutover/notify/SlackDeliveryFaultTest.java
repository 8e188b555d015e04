package dev.cutover.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.SandboxCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slack misbehaving while webhooks arrive: rate limits, outages, bad channels and bad tokens delay delivery or are
 * surfaced, but never lose an event and never deliver one twice. Time moves only through the fake clock.
 */
@Timeout(30)
class SlackDeliveryFaultTest {
    static final String ALICE = "U0ALICE";
    static final Actor BOB = new Actor("bob", "Bob Builder");
    static final List<String> DDL = List.of("ALTER TABLE events ADD INDEX idx_created (created_at)");
    private static final AtomicInteger SCENARIOS = new AtomicInteger();

    @RegisterExtension
    static final CutoverExtension cutover = CutoverExtension.sandbox();
    static final FakeSlackApi slack = cutover.slack();
    static final FakeClock clock = cutover.clock();
    static SandboxCalls sandbox;

    String database;
    String channel;

    @BeforeAll
    static void startService() {
        sandbox = new SandboxCalls(cutover.service().simulator());
    }

    @BeforeEach
    void newScenario() throws Exception {
        int scenario = SCENARIOS.incrementAndGet();
        database = "db" + scenario + "-faults";
        channel = "C0FAULTS" + scenario;
        cutover.service().simulator().setDatabase(database, false);
        clock.advance(Duration.ofMinutes(10)); // earlier scenarios' retries are long done
        awaitOutboxEmpty();
        subscribe();
    }

    @Test
    void rateLimitedWithRetryAfter7_waitsSevenSeconds_thenDeliversOnce() throws Exception {
        slack.failNext("chat.postMessage", 1, FakeSlackApi.Fault.rateLimited(7));

        cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        awaitCalls("chat.postMessage", 1);
        clock.advance(Duration.ofSeconds(6));
        cutover.service().cutover().deliverNow();

        assertThat(callsIn("chat.postMessage")).hasSize(1);
        assertThat(slack.posts(channel)).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        cutover.service().cutover().deliverNow();

        assertThat(slack.posts(channel)).hasSize(1);
        awaitOutboxEmpty();
        cutover.service().cutover().deliverNow();
        assertThat(callsIn("chat.postMessage")).hasSize(2);
        assertThat(cutover.service().get("/metrics").body()).containsPattern(
                "cutover_deliveries_total\\{[^}]*outcome=\"retried\"[^}]*} [1-9]");
    }

    @Test
    void burstLongerThanTheAttemptLimit_toOneChannel_isPacedAndEveryEventDeliveredOnce() throws Exception {
        int events = Outbox.MAX_ATTEMPTS + 10;
        for (int i = 0; i < events; i++) {
            cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "burst-" + i, BOB, DDL));
        }

        for (int second = 0; second < events * 2 && slack.posts(channel).size() < events; second++) {
            cutover.service().cutover().deliverNow();
            clock.advance(Duration.ofSeconds(1));
        }
        awaitOutboxEmpty();

        assertThat(slack.posts(channel)).hasSize(events);
        assertThat(slack.posts(channel)).extracting(post -> post.param("text")).doesNotHaveDuplicates();
        assertThat(cutover.service().get("/metrics").body()).doesNotContainPattern(
                "cutover_deliveries_total\\{[^}]*outcome=\"failed\"[^}]*} [1-9]");
    }

    @Test
    void slackOutageOfMinutes_onlyDelaysDelivery_eachEventOnce() throws Exception {
        slack.down();
        int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        step(Duration.ofSeconds(3));
        sandbox.post(database, number, "deploy"); // queued
        awaitCalls("chat.postMessage", 1);
        for (int minute = 0; minute < 5; minute++) {
            clock.advance(Duration.ofMinutes(1));
            cutover.service().cutover().deliverNow();
        }
        assertThat(slack.posts(channel)).isEmpty();
        assertThat(cutover.service().get("/healthz").body()).contains("\"outbox\":2");

        slack.up();
        clock.advance(Duration.ofMinutes(5));
        cutover.service().cutover().deliverNow();
        awaitOutboxEmpty();

        assertThat(slack.posts(channel)).hasSize(1);
        String threadTs = slack.tsOf(slack.posts(channel).get(0));
        assertThat(slack.replies(channel, threadTs)).singleElement()
                .satisfies(reply -> assertThat(reply.param("text")).contains("queued"));
    }

    @Test
    void channelNotFound_isNotRetriedForever_andShowsInSubscriptions() throws Exception {
        slack.channelNotFound(channel);

        cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        awaitCalls("chat.postMessage", 1);
        awaitOutboxEmpty();
        clock.advance(Duration.ofHours(1));
        cutover.service().cutover().deliverNow();

        assertThat(callsIn("chat.postMessage")).hasSize(1);
        cutover.service().command(ALICE, channel, "subscriptions", slack.responseUrl("subscriptions-" + channel));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses("subscriptions-" + channel).isEmpty());
        assertThat(slack.responses("subscriptions-" + channel).get(0).body().toString())
                .contains(database).contains("channel_not_found");
    }

    @Test
    void invalidAuth_isRetriedLater_withoutLosingTheEvent() throws Exception {
        slack.failNext("chat.postMessage", 1, FakeSlackApi.Fault.error("invalid_auth"));

        cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        awaitCalls("chat.postMessage", 1);
        cutover.service().cutover().deliverNow();
        assertThat(cutover.service().get("/healthz").body()).contains("\"outbox\":1");

        clock.advance(Outbox.MAX_BACKOFF); // someone fixed the token
        cutover.service().cutover().deliverNow();
        awaitOutboxEmpty();

        assertThat(slack.posts(channel)).hasSize(1);
        assertThat(callsIn("chat.postMessage")).hasSize(2);
    }

    @Test
    void passesStartedTogether_deliverEachEventOnce() throws Exception {
        slack.down();
        cutover.service().simulator().createDeployRequest(DeployRequestSeed.of(database, "add-index", BOB, DDL));
        awaitCalls("chat.postMessage", 1);
        slack.up();
        clock.advance(Duration.ofMinutes(1));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> passes = new ArrayList<>();

        try {
            for (int i = 0; i < 4; i++) {
                passes.add(threads.submit(() -> {
                    go.await();
                    return cutover.service().cutover().deliverNow();
                }));
            }
            go.countDown();
            for (Future<Integer> pass : passes) {
                pass.get();
            }
        } finally {
            threads.shutdown();
        }
        awaitOutboxEmpty();

        assertThat(slack.posts(channel)).hasSize(1);
    }

    // ---- helpers ----

    private void subscribe() throws Exception {
        String name = "subscribe-" + channel;
        cutover.service().command(ALICE, channel, "subscribe " + database, slack.responseUrl(name));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses(name).isEmpty());
        assertThat(slack.responses(name).get(0).body().toString()).contains("subscribed this channel");
    }

    private void step(Duration duration) {
        clock.advance(duration);
        cutover.service().simulator().tick();
    }

    private List<FakeSlackApi.Call> callsIn(String method) {
        return slack.calls(method).stream().filter(call -> channel.equals(call.param("channel"))).toList();
    }

    /**
     * Waits for {@code count} calls, then for the worker's pass that made them to finish (passes never overlap),
     * so its retry time is counted from the clock as it was, not from a clock the test already moved.
     */
    private void awaitCalls(String method, int count) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> callsIn(method).size() >= count);
        cutover.service().cutover().deliverNow();
    }

    private static void awaitOutboxEmpty() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> cutover.service().get("/healthz").body().contains("\"outbox\":0"));
    }
}
