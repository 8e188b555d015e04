package dev.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.store.SqliteStore;
import dev.cutover.store.Subscription;
import dev.cutover.testing.ChildCutover;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of a burst, as a node loss would do it: 1,000 webhooks (500 deploy requests, opened then
 * queued) for 50 channels into a child JVM, killed while it is still posting; a new process on the same data
 * directory gets the redeliveries PlanetScale would send. Then every deploy request has exactly one card and one
 * "queued" reply in its channel, in that order: nothing lost, nothing doubled.
 */
class KillDuringBurstTest {
    static final int CHANNELS = 50;
    static final int REQUESTS = 500;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    @Timeout(240)
    void sigkillMidBurst_thenRedeliveries_everyEventInItsChannelExactlyOnce_inOrder() throws Exception {
        subscribeChannels();
        List<byte[]> events = new ArrayList<>();
        for (int n = 1; n <= REQUESTS; n++) {
            events.add(event("deploy_request.opened", n, "pending", "2026-11-21T12:00:00Z"));
            events.add(event("deploy_request.queued", n, "queued", "2026-11-21T12:01:00Z"));
        }
        try (FakeSlackApi slack = new FakeSlackApi().start()) {
            int port = ChildCutover.freePort();
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            Process first = ChildCutover.start(slack, port, dataDir, Map.of());
            try {
                ChildCutover.awaitHealthy(port);
                ChildCutover.sendInPairs(events, n -> port, acknowledged, 8);
                // Kill while it is still posting: the pace (about one post a second per channel) keeps it busy.
                await().atMost(Duration.ofSeconds(60)).until(() -> slack.calls("chat.postMessage").size() >= 150);
            } finally {
                ChildCutover.kill(first);
            }
            assertThat(acknowledged).hasSize(events.size());

            Process second = ChildCutover.start(slack, port, dataDir, Map.of());
            try {
                ChildCutover.awaitHealthy(port);
                ChildCutover.sendInPairs(events, n -> port, ConcurrentHashMap.newKeySet(), 8); // PlanetScale's redeliveries: duplicates
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> slack.calls("chat.postMessage").stream()
                                .filter(call -> !call.param("text").isEmpty()).count() >= 2L * REQUESTS
                                && ChildCutover.outboxEmpty(port));
            } finally {
                ChildCutover.kill(second);
            }

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
            }
            assertThat(slack.calls("chat.postMessage")).hasSize(2 * REQUESTS);
        }
    }

    private void subscribeChannels() {
        try (SqliteStore store = SqliteStore.open(dataDir, new FakeClock())) {
            for (int channel = 0; channel < CHANNELS; channel++) {
                store.subscriptions().subscribe(new Subscription(channelName(channel), "db" + channel,
                        Set.of(Subscription.DEPLOYS), "U0ADMIN", Instant.parse("2026-11-21T11:00:00Z")));
            }
        }
    }

    private static String channelName(int channel) {
        return "C0BURST" + channel;
    }

    /** Deploy request {@code n}, in database db(n-1 mod CHANNELS), as PlanetScale would send it. */
    private static byte[] event(String name, int n, String deploymentState, String updatedAt) throws IOException {
        ObjectNode body;
        try (InputStream in = KillDuringBurstTest.class.getResourceAsStream(
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
