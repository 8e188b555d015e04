package dev.cutover.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.Slack;
import dev.cutover.cards.CardWriter;
import dev.cutover.cards.Cards;
import dev.cutover.slack.ChannelPacer;
import dev.cutover.slack.SandboxMarker;
import dev.cutover.slack.SlackClients;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.IncomingEvent;
import dev.cutover.store.SqliteStore;
import dev.cutover.store.Subscription;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one event means in Slack, without booting the service: the real card writer and a real store in a temp
 * directory, Slack as the loopback fake, PlanetScale not involved at all.
 */
class EventDeliveryTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    final FakeClock clock = new FakeClock();
    final FakeSlackApi slack = new FakeSlackApi();
    final List<String> invalidated = new ArrayList<>();
    SqliteStore store;
    Slack slackClient;
    EventDelivery delivery;

    @BeforeEach
    void wire() {
        slack.start();
        store = SqliteStore.open(dataDir, clock);
        slackClient = SlackClients.create(slack.apiUrl());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SlackPoster poster = new SlackPoster(slackClient, FakeSlackApi.BOT_TOKEN,
                new ChannelPacer(clock, Duration.ofSeconds(1), 5), SandboxMarker.OFF, store.posts(), registry);
        CardWriter writer = new CardWriter(poster, store.threads(), store.actions(),
                new Cards(database -> true, store.actions()), clock);
        RevertReminders reminders = new RevertReminders(store.reminders(), writer, ref -> {
            throw new AssertionError("no reminder is due in these tests");
        }, clock);
        delivery = new EventDelivery(new Routing(store.subscriptions(), Optional.of("C0DEFAULT")), writer, poster,
                reminders, store.channelHealth(), ref -> invalidated.add(ref.toString()), "acme", clock, registry);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        slackClient.close();
        slack.close();
    }

    @Test
    void firstEventPostsTheCard_theNextUpdatesItAndReplies_andTheCacheIsToldEachTime() throws Exception {
        subscribe("C0DEPLOYS", "shop");

        delivery.deliver(deployRequestEvent("deploy_request.opened", "pending", "2026-11-21T12:00:00Z"));
        delivery.deliver(deployRequestEvent("deploy_request.queued", "queued", "2026-11-21T12:01:00Z"));

        assertThat(slack.posts("C0DEPLOYS")).hasSize(1);
        String threadTs = slack.tsOf(slack.posts("C0DEPLOYS").get(0));
        assertThat(slack.replies("C0DEPLOYS", threadTs)).singleElement()
                .satisfies(reply -> assertThat(reply.param("text")).contains("shop#12 queued for deploy"));
        assertThat(slack.lastUpdate("C0DEPLOYS", threadTs).orElseThrow().blocks().toString()).contains("Queued");
        assertThat(invalidated).containsExactly("shop#12", "shop#12");
    }

    @Test
    void theSameEventTwice_isAppliedOnce() throws Exception {
        subscribe("C0DEPLOYS", "shop");
        IncomingEvent queued = deployRequestEvent("deploy_request.queued", "queued", "2026-11-21T12:01:00Z");

        delivery.deliver(deployRequestEvent("deploy_request.opened", "pending", "2026-11-21T12:00:00Z"));
        delivery.deliver(queued);
        delivery.deliver(queued);

        assertThat(slack.calls("chat.postMessage")).hasSize(2);
        assertThat(slack.calls("chat.update")).hasSize(1);
    }

    @Test
    void branchEvent_isOneLine_inEveryChannelThatWantsBranches_only() throws Exception {
        subscribe("C0BRANCHES", "shop", Subscription.BRANCHES);
        subscribe("C0DEPLOYS", "shop", Subscription.DEPLOYS);

        delivery.deliver(otherEvent("branch.ready", "{\"name\":\"add-index\",\"id\":\"b1\"}"));

        assertThat(slack.posts("C0BRANCHES")).singleElement()
                .satisfies(post -> assertThat(post.param("text")).isEqualTo("🌿 *shop* branch `add-index` is ready"));
        assertThat(slack.posts("C0DEPLOYS")).isEmpty();
    }

    @Test
    void databaseNobodyFollows_goesToTheDefaultChannel() throws Exception {
        delivery.deliver(deployRequestEvent("deploy_request.opened", "pending", "2026-11-21T12:00:00Z"));

        assertThat(slack.posts("C0DEFAULT")).hasSize(1);
    }

    @Test
    void aChannelThatRefuses_isRecordedForSubscriptions_andTheOthersStillGetTheEvent() throws Exception {
        subscribe("C0GONE", "shop");
        subscribe("C0DEPLOYS", "shop");
        slack.channelNotFound("C0GONE");

        delivery.deliver(deployRequestEvent("deploy_request.opened", "pending", "2026-11-21T12:00:00Z"));

        assertThat(slack.posts("C0DEPLOYS")).hasSize(1);
        assertThat(store.channelHealth().problem("C0GONE")).isPresent();
    }

    @Test
    void slackDown_asksTheLoopToRetry() throws Exception {
        subscribe("C0DEPLOYS", "shop");
        slack.down();

        assertThatThrownBy(() -> delivery.deliver(
                deployRequestEvent("deploy_request.opened", "pending", "2026-11-21T12:00:00Z")))
                .isInstanceOf(RetryLater.class);
    }

    private void subscribe(String channel, String database, String... filters) {
        Set<String> wanted = filters.length == 0 ? Set.of(Subscription.DEPLOYS) : Set.of(filters);
        store.subscriptions().subscribe(new Subscription(channel, database, wanted, "U0ALICE", clock.instant()));
    }

    private IncomingEvent deployRequestEvent(String event, String deploymentState, String updatedAt)
            throws Exception {
        ObjectNode body;
        try (InputStream in = getClass().getResourceAsStream("/planetscale/webhook-deploy-request-queued.json")) {
            body = (ObjectNode) JSON.readTree(in);
        }
        body.put("event", event);
        ObjectNode resource = (ObjectNode) body.get("resource");
        resource.put("deployment_state", deploymentState).put("updated_at", updatedAt);
        return new IncomingEvent(event + "|" + updatedAt, event, "acme", "shop", 12, Instant.parse(updatedAt),
                clock.instant(), body.toString());
    }

    private IncomingEvent otherEvent(String event, String resource) {
        String body = "{\"event\":\"" + event + "\",\"organization\":\"acme\",\"database\":\"shop\",\"resource\":"
                + resource + "}";
        return new IncomingEvent(event + "|" + resource.hashCode(), event, "acme", "shop", null, null,
                clock.instant(), body);
    }
}
