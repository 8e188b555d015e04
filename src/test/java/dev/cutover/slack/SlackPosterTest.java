package dev.cutover.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.Slack;
import com.slack.api.model.block.Blocks;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.BlockCompositions;
import dev.cutover.slack.SlackPostException.Kind;
import dev.cutover.slack.SlackPoster.ChannelInfo;
import dev.cutover.store.SqliteStore;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi.Call;
import dev.cutover.testing.FakeSlackApi.Fault;
import dev.cutover.testing.FakeSlackApi;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(20)
class SlackPosterTest {
    private static final String CHANNEL = "C0DEPLOYS";
    private static final List<LayoutBlock> BLOCKS = List.of(
            Blocks.section(section -> section.text(BlockCompositions.markdownText("*shop#7* is ready"))));

    private final FakeClock clock = new FakeClock();
    private final FakeSlackApi fake = new FakeSlackApi(clock, FakeSlackApi.BOT_TOKEN);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Slack> clients = new ArrayList<>();
    private SlackPoster poster;
    private int keys;
    @TempDir
    Path dataDir;
    private SqliteStore store;

    @BeforeEach
    void start() {
        fake.start();
        store = SqliteStore.open(dataDir, clock);
        poster = posterFor(SlackClients.create(fake.apiUrl()), FakeSlackApi.BOT_TOKEN);
    }

    @AfterEach
    void stop() throws Exception {
        for (Slack slack : clients) {
            slack.close();
        }
        fake.close();
        store.close();
    }

    /** A new post each time, as the old postMessage was. */
    private String key() {
        return "test-post-" + ++keys;
    }

    @Test
    void postMessage_sendsChannelTextAndBlocks_andReturnsTheTs() throws Exception {
        String ts = poster.postOnce(key(), CHANNEL, "shop#7 is ready", BLOCKS, null);

        List<Call> posts = fake.posts(CHANNEL);
        assertThat(posts).hasSize(1);
        Call post = posts.get(0);
        assertThat(ts).isEqualTo(fake.tsOf(post));
        assertThat(post.param("channel")).isEqualTo(CHANNEL);
        assertThat(post.param("text")).isEqualTo("shop#7 is ready");
        assertThat(post.param("thread_ts")).isNull();
        assertThat(post.blocks().get(0).path("type").asText()).isEqualTo("section");
        assertThat(post.blocks().get(0).path("text").path("type").asText()).isEqualTo("mrkdwn");
        assertThat(post.blocks().get(0).path("text").path("text").asText()).isEqualTo("*shop#7* is ready");
    }

    @Test
    void postMessage_withThreadTs_isAReplyInThatThread() throws Exception {
        String parent = poster.postOnce(key(), CHANNEL, "card", BLOCKS, null);

        String reply = poster.postOnce(key(), CHANNEL, "deployed by Ada", List.of(), parent);

        assertThat(fake.replies(CHANNEL, parent)).singleElement()
                .satisfies(call -> assertThat(call.param("text")).isEqualTo("deployed by Ada"));
        assertThat(fake.posts(CHANNEL)).hasSize(1);
        assertThat(reply).isNotEqualTo(parent);
    }

    @Test
    void update_sendsChannelTsTextAndBlocks() throws Exception {
        String ts = poster.postOnce(key(), CHANNEL, "queued", BLOCKS, null);

        poster.update(CHANNEL, ts, "deployed", BLOCKS);

        Call update = fake.lastUpdate(CHANNEL, ts).orElseThrow();
        assertThat(update.param("text")).isEqualTo("deployed");
        assertThat(update.blocks().get(0).path("text").path("text").asText()).isEqualTo("*shop#7* is ready");
    }

    @Test
    void update_ofAMessageSlackDoesNotKnow_isMessageGone() {
        SlackPostException failure =
                failureOf(() -> poster.update(CHANNEL, "1600000000.000100", "deployed", BLOCKS));

        assertThat(failure.kind()).isEqualTo(Kind.MESSAGE_GONE);
        assertThat(failure.error()).isEqualTo("message_not_found");
        assertThat(failure.method()).isEqualTo("chat.update");
    }

    @Test
    void postEphemeral_sendsChannelUserAndText() throws Exception {
        poster.postEphemeral(CHANNEL, "U0ADA", "Only you can see this", BLOCKS);

        assertThat(fake.calls("chat.postEphemeral")).singleElement().satisfies(call -> {
            assertThat(call.param("channel")).isEqualTo(CHANNEL);
            assertThat(call.param("user")).isEqualTo("U0ADA");
            assertThat(call.param("text")).isEqualTo("Only you can see this");
            assertThat(call.blocks()).hasSize(1);
        });
    }

    @Test
    void respond_postsJsonToTheResponseUrl() throws Exception {
        poster.respond(fake.responseUrl("click"), "Deploying shop#7", BLOCKS, true, true);

        JsonNode body = fake.responses("click").get(0).body();
        assertThat(body.path("text").asText()).isEqualTo("Deploying shop#7");
        assertThat(body.path("replace_original").asBoolean()).isTrue();
        assertThat(body.path("response_type").asText()).isEqualTo("in_channel");
        assertThat(body.path("blocks").get(0).path("type").asText()).isEqualTo("section");
    }

    @Test
    void respond_ephemeralWithoutReplacing_saysSo() throws Exception {
        poster.respond(fake.responseUrl("command"), "Not allowed", List.of(), false, false);

        JsonNode body = fake.responses("command").get(0).body();
        assertThat(body.path("replace_original").asBoolean(true)).isFalse();
        assertThat(body.path("response_type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void respond_whenTheUrlAnswers404_throwsPermanent() {
        fake.failNextResponses("click", 1, Fault.httpStatus(404));

        SlackPostException failure =
                failureOf(() -> poster.respond(fake.responseUrl("click"), "hi", List.of(), false, false));

        assertThat(failure.error()).isEqualTo("http_404");
        assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(fake.responses("click")).isEmpty();
    }

    @Test
    void respond_whenTheUrlAnswers500_throwsRetryable() {
        fake.failNextResponses("click", 1, Fault.httpStatus(500));

        SlackPostException failure =
                failureOf(() -> poster.respond(fake.responseUrl("click"), "hi", List.of(), false, false));

        assertThat(failure.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(failure.method()).isEqualTo("response_url");
    }

    @Test
    void channelInfo_reportsMembershipPrivacyAndArchival() throws Exception {
        fake.channel("G0SECRET", true, true, false);
        fake.channel("C0OLD", false, false, true);

        ChannelInfo secret = poster.channelInfo("G0SECRET");
        ChannelInfo old = poster.channelInfo("C0OLD");

        assertThat(secret).isEqualTo(new ChannelInfo(true, true, true, false));
        assertThat(old).isEqualTo(new ChannelInfo(true, false, false, true));
        assertThat(old.canPost()).isFalse();
        assertThat(fake.calls("conversations.info")).extracting(call -> call.param("channel"))
                .containsExactly("G0SECRET", "C0OLD");
    }

    @Test
    void channelInfo_ofAMissingChannel_isNotFound() throws Exception {
        fake.channelNotFound("C0GONE");

        assertThat(poster.channelInfo("C0GONE")).isEqualTo(ChannelInfo.NOT_FOUND);
    }

    @Test
    void join_publicChannel_makesTheBotAMember() throws Exception {
        fake.channel("C0PUBLIC", false, false, false);

        boolean joined = poster.join("C0PUBLIC");

        assertThat(joined).isTrue();
        assertThat(fake.calls("conversations.join")).singleElement()
                .satisfies(call -> assertThat(call.param("channel")).isEqualTo("C0PUBLIC"));
        assertThat(poster.channelInfo("C0PUBLIC").isMember()).isTrue();
    }

    @Test
    void join_privateChannel_isRefusedWithFalse() throws Exception {
        fake.channel("G0SECRET", false, true, false);

        assertThat(poster.join("G0SECRET")).isFalse();
    }

    @Test
    void userGroupMembers_listsTheGroupsUsers() throws Exception {
        fake.userGroup("S0DBAS", List.of("U0ADA", "U0GRACE"));

        List<String> members = poster.userGroupMembers("S0DBAS");

        assertThat(members).containsExactly("U0ADA", "U0GRACE");
        assertThat(fake.calls("usergroups.users.list")).singleElement()
                .satisfies(call -> assertThat(call.param("usergroup")).isEqualTo("S0DBAS"));
    }

    @Test
    void userGroupMembers_ofAnUnknownGroup_isPermanent() {
        SlackPostException failure = failureOf(() -> poster.userGroupMembers("S0NONE"));

        assertThat(failure.error()).isEqualTo("no_such_subteam");
        assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "channel_not_found, CHANNEL",
        "not_in_channel, CHANNEL",
        "is_archived, CHANNEL",
        "restricted_action_read_only_channel, CHANNEL",
        "message_not_found, MESSAGE_GONE",
        "cant_update_message, MESSAGE_GONE",
        "edit_window_closed, MESSAGE_GONE",
        "invalid_auth, AUTH",
        "token_revoked, AUTH",
        "missing_scope, AUTH",
        "internal_error, RETRYABLE",
        "service_unavailable, RETRYABLE",
        "fatal_error, RETRYABLE",
        "invalid_blocks, PERMANENT",
        "msg_too_long, PERMANENT",
    })
    void okFalse_isASlackPostExceptionOfTheRightKind(String slackError, Kind kind) {
        fake.failNext("chat.postMessage", 1, Fault.error(slackError));

        SlackPostException failure = failureOf(() -> poster.postOnce(key(), CHANNEL, "hi", BLOCKS, null));

        assertThat(failure.error()).isEqualTo(slackError);
        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.retryAfter()).isEmpty();
    }

    @Test
    void wrongToken_isAnAuthFailure() {
        SlackPoster stranger = posterFor(SlackClients.create(fake.apiUrl()), "xoxb-someone-else");

        SlackPostException failure = failureOf(() -> stranger.postOnce(key(), CHANNEL, "hi", BLOCKS, null));

        assertThat(failure.error()).isEqualTo("invalid_auth");
        assertThat(failure.kind()).isEqualTo(Kind.AUTH);
        assertThat(fake.posts(CHANNEL)).isEmpty();
    }

    @Test
    void rateLimited429_isRetryableWithSlacksRetryAfter() {
        fake.failNext("chat.postMessage", 1, Fault.rateLimited(7));

        SlackPostException failure = failureOf(() -> poster.postOnce(key(), CHANNEL, "hi", BLOCKS, null));

        assertThat(failure.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(failure.error()).isEqualTo("ratelimited");
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void rateLimited429_holdsTheChannelBackWithoutCallingSlack() {
        fake.failNext("chat.postMessage", 1, Fault.rateLimited(7));
        failureOf(() -> poster.postOnce(key(), CHANNEL, "hi", BLOCKS, null));
        clock.advance(Duration.ofSeconds(2));

        SlackPostException paced = failureOf(() -> poster.postOnce(key(), CHANNEL, "again", BLOCKS, null));

        assertThat(paced.error()).isEqualTo(SlackPostException.PACED);
        assertThat(paced.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(paced.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(fake.calls("chat.postMessage")).hasSize(1);
    }

    @Test
    void rateLimitedChannel_postsAgainOnceRetryAfterHasPassed() throws Exception {
        fake.failNext("chat.postMessage", 1, Fault.rateLimited(7));
        failureOf(() -> poster.postOnce(key(), CHANNEL, "hi", BLOCKS, null));

        clock.advance(Duration.ofSeconds(7));
        poster.postOnce(key(), CHANNEL, "again", BLOCKS, null);

        assertThat(fake.posts(CHANNEL)).singleElement()
                .satisfies(call -> assertThat(call.param("text")).isEqualTo("again"));
    }

    @Test
    void burstOnOneChannel_isPacedLocally_whileOtherChannelsGoOn() throws Exception {
        for (int i = 0; i < 3; i++) {
            poster.postOnce(key(), CHANNEL, "card " + i, BLOCKS, null);
        }

        SlackPostException paced = failureOf(() -> poster.postOnce(key(), CHANNEL, "one too many", BLOCKS, null));
        poster.postOnce(key(), "C0OTHER", "elsewhere", BLOCKS, null);

        assertThat(paced.error()).isEqualTo(SlackPostException.PACED);
        assertThat(paced.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(fake.posts(CHANNEL)).hasSize(3);
        assertThat(fake.posts("C0OTHER")).hasSize(1);
        assertThat(registry.counter("cutover.slack.paced", "method", "chat.postMessage").count()).isEqualTo(1.0);
    }

    @Test
    void updates_areNotHeldBackByThePostingPace() throws Exception {
        for (int i = 0; i < 3; i++) {
            poster.postOnce(key(), CHANNEL, "card " + i, BLOCKS, null);
        }
        fake.seedMessage(CHANNEL, "1.0");

        poster.update(CHANNEL, "1.0", "updated", BLOCKS);

        assertThat(fake.calls("chat.update")).hasSize(1);
    }

    @Test
    void http503_isRetryable() {
        fake.failNext("chat.postMessage", 1, Fault.httpStatus(503));

        SlackPostException failure = failureOf(() -> poster.postOnce(key(), CHANNEL, "hi", BLOCKS, null));

        assertThat(failure.error()).isEqualTo("http_503");
        assertThat(failure.kind()).isEqualTo(Kind.RETRYABLE);
    }

    @Test
    void slackDown_makesEveryMethodRetryable_untilItIsUpAgain() throws Exception {
        fake.down();

        SlackPostException failure = failureOf(() -> poster.channelInfo(CHANNEL));
        fake.up();

        assertThat(failure.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(poster.channelInfo(CHANNEL).exists()).isTrue();
    }

    @Test
    void slowAnswerBeyondTheTimeout_isARetryableNetworkFailureThatMayHaveTakenEffect() {
        SlackPoster impatient = posterFor(
                SlackClients.create(fake.apiUrl(), Duration.ofMillis(200), Duration.ofMillis(400)),
                FakeSlackApi.BOT_TOKEN);
        fake.failNext("chat.postMessage", 1, Fault.delay(Duration.ofSeconds(1)));

        SlackPostException failure = failureOf(() -> impatient.postOnce(key(), CHANNEL, "hi", BLOCKS, null));

        assertThat(failure.error()).isEqualTo(SlackPostException.NETWORK);
        assertThat(failure.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(failure.mayHaveTakenEffect()).isTrue();
    }

    @Test
    void refusedConnection_isARetryableNetworkFailureThatDidNotTakeEffect() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SlackPoster unreachable = posterFor(SlackClients.create("http://127.0.0.1:" + closedPort + "/api/"),
                FakeSlackApi.BOT_TOKEN);

        SlackPostException failure = failureOf(() -> unreachable.postOnce(key(), CHANNEL, "hi", BLOCKS, null));

        assertThat(failure.error()).isEqualTo(SlackPostException.NETWORK);
        assertThat(failure.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(failure.mayHaveTakenEffect()).isFalse();
    }

    @Test
    void noPosterMethod_makesAHiddenAuthTestCall() throws Exception {
        fake.userGroup("S0DBAS", List.of("U0ADA"));

        String ts = poster.postOnce(key(), CHANNEL, "card", BLOCKS, null);
        poster.update(CHANNEL, ts, "card v2", BLOCKS);
        poster.postEphemeral(CHANNEL, "U0ADA", "psst", List.of());
        poster.respond(fake.responseUrl("click"), "ok", List.of(), false, false);
        poster.channelInfo(CHANNEL);
        poster.join(CHANNEL);
        poster.userGroupMembers("S0DBAS");

        assertThat(fake.calls()).extracting(Call::method).containsExactly("chat.postMessage", "chat.update",
                "chat.postEphemeral", "conversations.info", "conversations.join", "usergroups.users.list");
        assertThat(fake.calls("auth.test")).isEmpty();
    }

    @Test
    void theToken_neverAppearsInAFailure() {
        String token = FakeSlackApi.BOT_TOKEN;
        fake.failNext("chat.postMessage", 1, Fault.rateLimited(3));
        fake.failNext("conversations.info", 1, Fault.httpStatus(503));
        fake.failNext("usergroups.users.list", 1, Fault.error("missing_scope"));
        fake.failNextResponses("click", 1, Fault.httpStatus(500));
        SlackPoster impatient = posterFor(
                SlackClients.create(fake.apiUrl(), Duration.ofMillis(200), Duration.ofMillis(400)), token);
        fake.failNext("chat.postEphemeral", 1, Fault.delay(Duration.ofSeconds(1)));

        List<Throwable> failures = List.of(
                failureOf(() -> poster.postOnce(key(), CHANNEL, "hi", BLOCKS, null)),
                failureOf(() -> poster.channelInfo(CHANNEL)),
                failureOf(() -> poster.userGroupMembers("S0DBAS")),
                failureOf(() -> poster.respond(fake.responseUrl("click"), "x", List.of(), false, false)),
                failureOf(() -> impatient.postEphemeral(CHANNEL, "U0ADA", "x", List.of())));

        assertThat(failures).doesNotContainNull();
        for (Throwable failure : failures) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                assertThat(String.valueOf(cause.getMessage())).doesNotContain(token);
                assertThat(cause.toString()).doesNotContain(token);
            }
        }
    }

    @Test
    void calls_areCountedByMethodAndOutcome_andTimed() throws Exception {
        fake.failNext("chat.postMessage", 1, Fault.error("channel_not_found"));
        failureOf(() -> poster.postOnce(key(), CHANNEL, "hi", BLOCKS, null));

        poster.postOnce(key(), CHANNEL, "hi", BLOCKS, null);

        assertThat(registry.counter("cutover.slack.calls", "method", "chat.postMessage", "outcome", "ok").count())
                .isEqualTo(1.0);
        assertThat(registry.counter("cutover.slack.calls", "method", "chat.postMessage", "outcome", "channel").count())
                .isEqualTo(1.0);
        assertThat(registry.timer("cutover.slack.call.duration", "method", "chat.postMessage").count()).isEqualTo(2);
    }

    @Test
    void nonJsonAnswerWith200_isAFailureNotACrash() {
        fake.failNext("chat.postMessage", 1, Fault.httpStatus(200));

        SlackPostException failure = failureOf(() -> poster.postOnce(key(), CHANNEL, "hi", BLOCKS, null));

        assertThat(failure).isNotNull();
        assertThat(failure.kind()).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void prefixWithoutTrailingSlash_isRejected() {
        assertThatThrownBy(() -> SlackClients.create("http://127.0.0.1:1/api"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must end with '/'");
    }

    @Test
    void retryAfterHeader_isReadInWholeSeconds() {
        assertThat(SlackPoster.retryAfter(java.util.Map.of("retry-after", List.of("30"))))
                .isEqualTo(Optional.of(Duration.ofSeconds(30)));
        assertThat(SlackPoster.retryAfter(java.util.Map.of("Retry-After", List.of("soon")))).isEmpty();
        assertThat(SlackPoster.retryAfter(java.util.Map.of())).isEmpty();
    }

    private static SlackPostException failureOf(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(SlackPostException.class);
        return (SlackPostException) thrown;
    }

    private SlackPoster posterFor(Slack slack, String token) {
        clients.add(slack);
        return new SlackPoster(slack, token, new ChannelPacer(clock, Duration.ofSeconds(1), 3), SandboxMarker.OFF,
                store.posts(), registry);
    }
}
