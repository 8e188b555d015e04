package dev.cutover.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.slack.ChannelPacer;
import dev.cutover.store.PostgresStore;
import dev.cutover.store.Subscription;
import dev.cutover.testing.ChildCutover;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three replicas on one PostgreSQL: 2,000 webhooks (1,000 deploy requests, opened then queued, 40 channels) spread
 * over all three, replica A SIGKILLed while it is still posting and started again, then every event redelivered to
 * a replica that did not get it first (PlanetScale's retries landing elsewhere behind the load balancer). Then each
 * deploy request has exactly one card and one "queued" reply in its channel, the reply in the card's thread, and no
 * channel ever got posts faster than Slack's pace allows across both replicas. Slack fails 20 posts and answers two
 * after the client's timeout (posted but unconfirmed: looked up, not posted again). The pace per channel (50 posts
 * each at about one a second) is what bounds the test's length.
 */
class BurstAcrossReplicasTest {
    static final int CHANNELS = 40;
    static final int REQUESTS = 1_000;
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(300)
    void killMidBurst_andRedeliveriesToTheOtherReplica_everyEventOnceInOrder_paceKeptAcrossReplicas()
            throws Exception {
        List<byte[]> events = new ArrayList<>();
        for (int n = 1; n <= REQUESTS; n++) {
            events.add(event("deploy_request.opened", n, "pending", "2026-11-21T12:00:00Z"));
            events.add(event("deploy_request.queued", n, "queued", "2026-11-21T12:01:00Z"));
        }
        try (FakeSlackApi slack = new FakeSlackApi().start();
                ReplicaFleet fleet = new ReplicaFleet(slack, Map.of())) {
            subscribeChannels(fleet.databaseUrl);
            int a = ChildCutover.freePort();
            int b = ChildCutover.freePort();
            int c = ChildCutover.freePort();
            fleet.start(a);
            fleet.start(b);
            fleet.start(c);
            int[] replicas = {a, b, c};
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();

            // Slack failing for a while, and slow enough twice that the client gives up on posts Slack did accept.
            slack.failNext("chat.postMessage", 20, FakeSlackApi.Fault.httpStatus(500));
            slack.failNext("chat.postMessage", 2, FakeSlackApi.Fault.delay(Duration.ofSeconds(9)));
            // Deploy request n goes to replica n mod 3 (A, B, C in turn); A dies while posting.
            ChildCutover.sendInPairs(events, n -> replicas[n % 3], acknowledged, 8);
            await().atMost(Duration.ofSeconds(60)).until(() -> slack.calls("chat.postMessage").size() >= 120);
            fleet.kill(a);
            fleet.start(a);
            ChildCutover.sendInPairs(events, n -> replicas[(n + 1) % 3], acknowledged, 8);
            assertThat(acknowledged).hasSize(events.size());

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> delivered(slack) >= 2 * REQUESTS
                            && ChildCutover.outboxEmpty(a) && ChildCutover.outboxEmpty(b)
                            && ChildCutover.outboxEmpty(c));

            for (int channel = 0; channel < CHANNELS; channel++) {
                List<FakeSlackApi.Call> posts = slack.posts(channelName(channel));
                for (int n = channel + 1; n <= REQUESTS; n += CHANNELS) {
                    String ref = "db" + channel + "#" + n;
                    List<FakeSlackApi.Call> cards = posts.stream()
                            .filter(post -> post.param("text").startsWith(ref + " ")).toList();
                    assertThat(cards).as("cards of %s", ref).hasSize(1);
                    List<FakeSlackApi.Call> replies = slack.replies(channelName(channel), slack.tsOf(cards.get(0)));
                    assertThat(replies).as("replies of %s", ref).singleElement()
                            .satisfies(reply -> assertThat(reply.param("text")).contains("queued"));
                }
                // Every attempt Slack saw counts, failed ones too: each took a slot of the pace.
                String id = channelName(channel);
                assertPaceKept(slack.calls("chat.postMessage").stream()
                        .filter(call -> call.param("channel").equals(id)).toList());
            }
            assertThat(delivered(slack)).isEqualTo(2 * REQUESTS);
        }
    }

    private static int delivered(FakeSlackApi slack) {
        int total = 0;
        for (int channel = 0; channel < CHANNELS; channel++) {
            total += slack.postedIn(channelName(channel)).size();
        }
        return total;
    }

    /**
     * Slack's pace, as the fake Slack saw it: in any stretch of d seconds at most a burst plus d posts, with one
     * post of slack for the time between a replica's decision and the post's arrival. Two replicas pacing alone
     * would each let a burst through: twice that.
     */
    private static void assertPaceKept(List<FakeSlackApi.Call> posts) {
        List<Instant> times = posts.stream().map(FakeSlackApi.Call::at).sorted(Comparator.naturalOrder()).toList();
        for (int i = 0; i < times.size(); i++) {
            for (int j = i + 1; j < times.size(); j++) {
                long seconds = Duration.between(times.get(i), times.get(j)).toSeconds();
                assertThat(j - i + 1).as("posts in %s s of one channel", seconds)
                        .isLessThanOrEqualTo(ChannelPacer.SLACK_BURST + 1 + (int) seconds);
            }
        }
    }

    private static void subscribeChannels(String databaseUrl) {
        try (PostgresStore store = PostgresStore.open(new PostgresStore.Connection(databaseUrl, null, null, "test",
                Duration.ofSeconds(30)), new FakeClock())) {
            for (int channel = 0; channel < CHANNELS; channel++) {
                store.subscriptions().subscribe(new Subscription(channelName(channel), "db" + channel,
                        Set.of(Subscription.DEPLOYS), "U0ADMIN", Instant.parse("2026-11-21T11:00:00Z")));
            }
        }
    }

    static String channelName(int channel) {
        return "C0FLEET" + channel;
    }

    /** Deploy request {@code n}, in database db(n-1 mod CHANNELS), as PlanetScale would send it. */
    static byte[] event(String name, int n, String deploymentState, String updatedAt) throws IOException {
        ObjectNode body;
        try (InputStream in = BurstAcrossReplicasTest.class.getResourceAsStream(
                "/planetscale/webhook-deploy-request-queued.json")) {
            body = (ObjectNode) JSON.readTree(in);
        }
        String database = "db" + ((n - 1) % CHANNELS);
        body.put("event", name).put("organization", RunningCutover.ORG).put("database", database);
        ObjectNode resource = (ObjectNode) body.get("resource");
        resource.put("id", "dr" + n).put("number", n).put("deployment_state", deploymentState)
                .put("updated_at", updatedAt)
                .put("html_url", "https://app.planetscale.com/" + RunningCutover.ORG + "/" + database
                        + "/deploy-requests/" + n);
        return JSON.writeValueAsBytes(body);
    }
}
