package dev.cutover.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.testing.FakeSlackApi.Call;
import dev.cutover.testing.FakeSlackApi.Fault;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fake's own Slack-like behaviour, checked over raw HTTP so it does not depend on the SDK. */
@Timeout(20)
class FakeSlackApiTest {
    private final FakeSlackApi fake = new FakeSlackApi();
    private final OkHttpClient http = new OkHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() {
        fake.start();
    }

    @AfterEach
    void stop() {
        fake.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Test
    void apiUrl_isLoopbackWithTrailingSlash() {
        assertThat(fake.apiUrl()).startsWith("http://127.0.0.1:").endsWith("/api/");
    }

    @Test
    void missingBearerToken_isNotAuthed() throws IOException {
        JsonNode answer = post("chat.postMessage", null, new FormBody.Builder().add("channel", "C1").build());

        assertThat(answer.path("ok").asBoolean()).isFalse();
        assertThat(answer.path("error").asText()).isEqualTo("not_authed");
        assertThat(fake.posts("C1")).isEmpty();
    }

    @Test
    void wrongBearerToken_isInvalidAuth() throws IOException {
        JsonNode answer = post("auth.test", "xoxb-wrong", new FormBody.Builder().build());

        assertThat(answer.path("error").asText()).isEqualTo("invalid_auth");
    }

    @Test
    void authTest_namesTeamUserAndBot() throws IOException {
        JsonNode answer = post("auth.test", FakeSlackApi.BOT_TOKEN, new FormBody.Builder().build());

        assertThat(answer.path("ok").asBoolean()).isTrue();
        assertThat(answer.path("team_id").asText()).isEqualTo(FakeSlackApi.TEAM_ID);
        assertThat(answer.path("user_id").asText()).isEqualTo(FakeSlackApi.BOT_USER_ID);
        assertThat(answer.path("bot_id").asText()).isEqualTo(FakeSlackApi.BOT_ID);
    }

    @Test
    void postMessage_decodesTheBlocksJson_andARepeatedThreadTs() throws IOException {
        FormBody form = new FormBody.Builder().add("channel", "C1").add("text", "a & b")
                .add("blocks", "[{\"type\":\"divider\"}]").add("thread_ts", "1.000100").add("thread_ts", "1.000100")
                .build();

        JsonNode answer = post("chat.postMessage", FakeSlackApi.BOT_TOKEN, form);

        Call reply = fake.replies("C1", "1.000100").get(0);
        assertThat(reply.param("text")).isEqualTo("a & b");
        assertThat(reply.blocks().get(0).path("type").asText()).isEqualTo("divider");
        assertThat(answer.path("message").path("thread_ts").asText()).isEqualTo("1.000100");
    }

    @Test
    void postMessage_givesUniqueIncreasingTs() throws IOException {
        String first = post("chat.postMessage", FakeSlackApi.BOT_TOKEN, text("C1", "one")).path("ts").asText();
        String second = post("chat.postMessage", FakeSlackApi.BOT_TOKEN, text("C1", "two")).path("ts").asText();

        assertThat(first).matches("\\d{10}\\.\\d{6}");
        assertThat(second).matches("\\d{10}\\.\\d{6}");
        assertThat(Double.parseDouble(second)).isGreaterThan(Double.parseDouble(first));
        assertThat(fake.posts("C1")).extracting(fake::tsOf).containsExactly(first, second);
    }

    @Test
    void postMessage_toAPrivateChannelTheBotIsNotIn_isChannelNotFound() throws IOException {
        fake.channel("G1", false, true, false);

        JsonNode answer = post("chat.postMessage", FakeSlackApi.BOT_TOKEN, text("G1", "hi"));

        assertThat(answer.path("error").asText()).isEqualTo("channel_not_found");
    }

    @Test
    void failNext_failsOnlyTheGivenNumberOfCalls() throws IOException {
        fake.failNext("chat.postMessage", 2, Fault.error("internal_error"));

        List<String> errors = List.of(
                post("chat.postMessage", FakeSlackApi.BOT_TOKEN, text("C1", "1")).path("error").asText("none"),
                post("chat.postMessage", FakeSlackApi.BOT_TOKEN, text("C1", "2")).path("error").asText("none"),
                post("chat.postMessage", FakeSlackApi.BOT_TOKEN, text("C1", "3")).path("error").asText("none"));

        assertThat(errors).containsExactly("internal_error", "internal_error", "none");
        assertThat(fake.calls("chat.postMessage")).hasSize(3);
        assertThat(fake.posts("C1")).hasSize(1);
    }

    @Test
    void rateLimited_answers429WithRetryAfter() throws IOException {
        fake.failNext("chat.update", 1, Fault.rateLimited(7));

        try (Response response = http.newCall(request("chat.update", FakeSlackApi.BOT_TOKEN, text("C1", "x")))
                .execute()) {
            assertThat(response.code()).isEqualTo(429);
            assertThat(response.header("Retry-After")).isEqualTo("7");
            assertThat(json.readTree(response.body().string()).path("error").asText()).isEqualTo("ratelimited");
        }
    }

    @Test
    void down_answers503UntilUp() throws IOException {
        fake.down();
        int whileDown;
        try (Response response = http.newCall(request("auth.test", FakeSlackApi.BOT_TOKEN, text("C1", "x")))
                .execute()) {
            whileDown = response.code();
        }

        fake.up();

        assertThat(whileDown).isEqualTo(503);
        assertThat(post("auth.test", FakeSlackApi.BOT_TOKEN, text("C1", "x")).path("ok").asBoolean()).isTrue();
    }

    @Test
    void responseUrl_recordsJsonPostsByName() throws IOException {
        Request request = new Request.Builder().url(fake.responseUrl("click 1"))
                .post(okhttp3.RequestBody.create("{\"text\":\"hi\"}", okhttp3.MediaType.get("application/json")))
                .build();

        try (Response response = http.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }

        assertThat(fake.responses("click 1")).singleElement()
                .satisfies(posted -> assertThat(posted.body().path("text").asText()).isEqualTo("hi"));
        assertThat(fake.responses("other")).isEmpty();
    }

    @Test
    void awaitCalls_returnsOnceCallsFromAnotherThreadArrive() {
        CompletableFuture<JsonNode> background = CompletableFuture.supplyAsync(() -> {
            try {
                return post("conversations.info", FakeSlackApi.BOT_TOKEN, text("C1", "-"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        List<Call> calls = fake.awaitCalls("conversations.info", 1, Duration.ofSeconds(5));

        assertThat(calls).singleElement().satisfies(call -> assertThat(call.param("channel")).isEqualTo("C1"));
        assertThat(background.join().path("channel").path("is_member").asBoolean()).isTrue();
    }

    private FormBody text(String channel, String text) {
        return new FormBody.Builder().add("channel", channel).add("text", text).build();
    }

    private Request request(String method, String token, FormBody form) {
        Request.Builder builder = new Request.Builder().url(fake.apiUrl() + method).post(form);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    private JsonNode post(String method, String token, FormBody form) throws IOException {
        try (Response response = http.newCall(request(method, token, form)).execute()) {
            assertThat(response.code()).isEqualTo(200);
            return json.readTree(response.body().string());
        }
    }
}
