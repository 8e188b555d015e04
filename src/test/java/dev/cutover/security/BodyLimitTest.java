package dev.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.Signatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both public endpoints against oversized and malformed input: 413 past 1 MiB whether the size is announced or
 * streamed, at most a 4xx for anything unreadable, never a stack trace, and healthy afterwards.
 */
@Timeout(30)
class BodyLimitTest {
    static final int ONE_MIB = 1 << 20;
    static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    static final MediaType JSON = MediaType.get("application/json");

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();
    final OkHttpClient http = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS)
            .retryOnConnectionFailure(false).build();

    @AfterEach
    void stop() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/slack/events", "/webhooks/planetscale"})
    void oneMebibytePlusOne_withContentLength_gets413_andTheServiceStaysHealthy(String path) throws Exception {
        byte[] body = filled(ONE_MIB + 1);

        int status = post(path, RequestBody.create(body, FORM), signedHeaders(path, body));

        assertThat(status).isEqualTo(413);
        assertHealthy();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/slack/events", "/webhooks/planetscale"})
    void oneMebibytePlusOne_chunked_gets413_andTheServiceStaysHealthy(String path) throws Exception {
        byte[] body = filled(ONE_MIB + 1);

        int status = post(path, chunked(body), signedHeaders(path, body));

        assertThat(status).isEqualTo(413);
        assertHealthy();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/slack/events", "/webhooks/planetscale"})
    void exactlyOneMebibyte_isNotRejectedForItsSize(String path) throws Exception {
        byte[] body = filled(ONE_MIB);

        int status = post(path, chunked(body), signedHeaders(path, body));

        assertThat(status).isNotEqualTo(413).isLessThan(500);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "this is not a form at all \u0000\u0001",
            "payload=not-json",
            "payload=%7B%22type%22%3A%22block_actions%22",
            "payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%7D%5D%7D",
            "payload=%5B%5D",
            "command=%2Fpscale",
            "command=%2Fpscale&text=show%20shop%201",
            "%%%=&&&==",
            "",
            "type=url_verification&challenge=x",
            "{\"type\":\"event_callback\",\"event\":{\"type\":\"app_mention\"}}"})
    void malformedButSignedSlackBodies_getAtMost4xx_andNoStackTrace(String text) throws Exception {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);

        Answer answer = send("/slack/events", RequestBody.create(body, FORM), signedHeaders("/slack/events", body));

        assertThat(answer.status()).isLessThan(500);
        assertNoStackTrace(answer.body());
        assertHealthy();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "multipart/form-data; boundary=x",
            "application/octet-stream"})
    void signedSlackBody_withTheWrongContentType_getsAtMost4xx_andNoStackTrace(String contentType) throws Exception {
        byte[] body = "payload=%7B%7D".getBytes(StandardCharsets.UTF_8);

        Answer answer = send("/slack/events", RequestBody.create(body, MediaType.get(contentType)),
                signedHeaders("/slack/events", body));

        assertThat(answer.status()).isLessThan(500);
        assertNoStackTrace(answer.body());
        assertHealthy();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{}", "{\"event\":42}", "{\"event\":\"deploy_request.queued\"}",
            "{\"event\":\"deploy_request.queued\",\"resource\":\"x\"}", "null", "\"string\"",
            "{\"event\":\"deploy_request.queued\",\"database\":\"shop\",\"resource\":{\"number\":\"seven\"}}"})
    void malformedButSignedWebhookBodies_getAtMost4xxOrAnIgnoringOk(String text) throws Exception {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);

        Answer answer = send("/webhooks/planetscale", RequestBody.create(body, JSON),
                signedHeaders("/webhooks/planetscale", body));

        assertThat(answer.status()).isLessThan(500);
        assertNoStackTrace(answer.body());
        assertHealthy();
    }

    @Test
    void signedWebhook_withTheWrongContentType_isJudgedOnItsBytes() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        Answer answer = send("/webhooks/planetscale", RequestBody.create(body, MediaType.get("text/plain")),
                signedHeaders("/webhooks/planetscale", body));

        assertThat(answer.status()).isBetween(400, 499);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/slack/events", "/webhooks/planetscale"})
    void getOnAPostEndpoint_isA4xx(String path) throws Exception {
        try (Response response = http.newCall(new Request.Builder().url(cutover.service().url(path)).build()).execute()) {
            assertThat(response.code()).isBetween(400, 499);
            assertNoStackTrace(response.body().string());
        }
    }

    private Map<String, String> signedHeaders(String path, byte[] body) {
        if (path.equals("/slack/events")) {
            long now = clock.instant().getEpochSecond();
            return Map.of("X-Slack-Request-Timestamp", Long.toString(now),
                    "X-Slack-Signature", Signatures.slack(RunningCutover.SIGNING_SECRET, now, body));
        }
        return Map.of("X-PlanetScale-Signature", Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, body));
    }

    private record Answer(int status, String body) {}

    private int post(String path, RequestBody body, Map<String, String> headers) throws IOException {
        return send(path, body, headers).status();
    }

    private Answer send(String path, RequestBody body, Map<String, String> headers) throws IOException {
        Request.Builder request = new Request.Builder().url(cutover.service().url(path)).post(body);
        headers.forEach(request::header);
        try (Response response = http.newCall(request.build()).execute()) {
            return new Answer(response.code(), response.body() == null ? "" : response.body().string());
        }
    }

    private void assertHealthy() throws IOException {
        RunningCutover.HttpResult health = cutover.service().get("/healthz");
        assertThat(health.status()).isEqualTo(200);
        RunningCutover.HttpResult help = cutover.service().command("U0ALICE", "C0DEPLOYS", "help", slack.responseUrl("help"));
        assertThat(help.status()).isEqualTo(200);
        assertThat(help.took()).isLessThan(Duration.ofSeconds(2));
    }

    private static void assertNoStackTrace(String body) {
        assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(".java:")
                .doesNotContain("com.slack.api").doesNotContain("dev.cutover");
    }

    private static byte[] filled(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'a');
        return body;
    }

    /** A body of unknown length: OkHttp sends it with {@code Transfer-Encoding: chunked}. */
    private static RequestBody chunked(byte[] body) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return FORM;
            }

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(body);
            }
        };
    }
}
