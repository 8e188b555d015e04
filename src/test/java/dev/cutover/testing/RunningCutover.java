package dev.cutover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.app.Cutover;
import dev.cutover.config.Config;
import dev.cutover.sandbox.PlanetScaleSimulator;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The whole service, started exactly as {@code Main} starts it, on a free loopback port, with a fake clock and
 * the fake Slack Web API; PlanetScale is the in-process sandbox or any URL (a MockWebServer). Tests talk to it
 * over real HTTP with requests signed as Slack and PlanetScale sign them.
 */
public final class RunningCutover implements AutoCloseable {
    public static final String SIGNING_SECRET = "test-signing-secret";
    public static final String WEBHOOK_SECRET = "test-webhook-secret";
    public static final String ORG = Config.SANDBOX_ORG;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    /** An HTTP answer from the service and how long it took. */
    public record HttpResult(int status, String body, Duration took) {}

    private final Cutover cutover;
    private final FakeClock clock;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(10, TimeUnit.SECONDS)
            .retryOnConnectionFailure(false).build();

    private RunningCutover(Cutover cutover, FakeClock clock) {
        this.cutover = cutover;
        this.clock = clock;
    }

    /** The service against the sandbox simulator (which it starts itself). */
    public static RunningCutover sandbox(FakeSlackApi slack, FakeClock clock, Path dataDir, Map<String, String> env)
            throws Exception {
        Map<String, String> all = baseEnvironment(slack, dataDir);
        all.putAll(env);
        return start(all, true, clock, Cutover.Limits.DEFAULT);
    }

    /** The service against a PlanetScale API at {@code planetScaleApiUrl} (a MockWebServer, usually). */
    public static RunningCutover against(String planetScaleApiUrl, FakeSlackApi slack, FakeClock clock, Path dataDir,
            Map<String, String> env) throws Exception {
        return against(planetScaleApiUrl, slack, clock, dataDir, env, Cutover.Limits.DEFAULT);
    }

    /** As above, with other bounds on work and upstream calls (overload tests). */
    public static RunningCutover against(String planetScaleApiUrl, FakeSlackApi slack, FakeClock clock, Path dataDir,
            Map<String, String> env, Cutover.Limits limits) throws Exception {
        Map<String, String> all = baseEnvironment(slack, dataDir);
        all.put("PLANETSCALE_ORG", ORG);
        all.put("PLANETSCALE_SERVICE_TOKEN_ID", "test-token-id");
        all.put("PLANETSCALE_SERVICE_TOKEN", "pscale_tkn_test_secret_value");
        all.put("PLANETSCALE_API_URL", planetScaleApiUrl);
        all.putAll(env);
        return start(all, false, clock, limits);
    }

    private static Map<String, String> baseEnvironment(FakeSlackApi slack, Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", FakeSlackApi.BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PLANETSCALE_WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.put("PORT", "0");
        env.put("CUTOVER_DATA_DIR", dataDir.toString());
        return env;
    }

    private static RunningCutover start(Map<String, String> env, boolean sandbox, FakeClock clock,
            Cutover.Limits limits) throws Exception {
        Config config = Config.fromEnvironment(env, sandbox);
        return new RunningCutover(Cutover.start(config, clock, Cutover.Options.test().withLimits(limits)), clock);
    }

    public Cutover cutover() {
        return cutover;
    }

    public PlanetScaleSimulator simulator() {
        return cutover.simulator().orElseThrow();
    }

    public FakeClock clock() {
        return clock;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + cutover.port() + path;
    }

    /** {@code /pscale <text>} typed by {@code user} in {@code channel}; answers go to {@code responseUrl}. */
    public HttpResult command(String user, String channel, String text, String responseUrl) throws IOException {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("token", "legacy");
        form.put("team_id", FakeSlackApi.TEAM_ID);
        form.put("team_domain", "cutover-test");
        form.put("channel_id", channel);
        form.put("channel_name", "deploys");
        form.put("user_id", user);
        form.put("user_name", user.toLowerCase(java.util.Locale.ROOT));
        form.put("command", "/pscale");
        if (text != null) {
            form.put("text", text);
        }
        form.put("api_app_id", "A0CUTOVER");
        form.put("response_url", responseUrl);
        form.put("trigger_id", "1337.42.abcd");
        return slack(formBody(form));
    }

    /**
     * A click on a button of a message in {@code channel} (ts {@code messageTs}); {@code blocks} are the clicked
     * message's blocks as Slack echoes them (may be null).
     */
    public HttpResult click(String user, String channel, String messageTs, boolean ephemeral, String actionId,
            String value, JsonNode blocks, String responseUrl) throws IOException {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        payload.putObject("team").put("id", FakeSlackApi.TEAM_ID).put("domain", "cutover-test");
        payload.putObject("user").put("id", user).put("username", user.toLowerCase(java.util.Locale.ROOT))
                .put("name", user.toLowerCase(java.util.Locale.ROOT)).put("team_id", FakeSlackApi.TEAM_ID);
        payload.put("api_app_id", "A0CUTOVER");
        payload.put("token", "legacy");
        payload.putObject("container").put("type", "message").put("message_ts", messageTs)
                .put("channel_id", channel).put("is_ephemeral", ephemeral);
        payload.put("trigger_id", "1337.42.abcd");
        payload.putObject("channel").put("id", channel).put("name", "deploys");
        ObjectNode message = payload.putObject("message");
        message.put("type", "message").put("ts", messageTs).put("text", "card");
        if (blocks != null) {
            message.set("blocks", blocks);
        }
        payload.put("response_url", responseUrl);
        ArrayNode actions = payload.putArray("actions");
        actions.addObject().put("action_id", actionId).put("block_id", "actions").put("value", value)
                .put("type", "button").put("action_ts", "1700000000.000001");
        return slack(formBody(Map.of("payload", payload.toString())));
    }

    /** Posts {@code body} to /slack/events signed now (by the fake clock) with the real secret. */
    public HttpResult slack(byte[] body) throws IOException {
        long now = clock.instant().getEpochSecond();
        return post("/slack/events", body, Map.of("X-Slack-Request-Timestamp", Long.toString(now),
                "X-Slack-Signature", Signatures.slack(SIGNING_SECRET, now, body)), FORM);
    }

    /** Posts a webhook body signed with the webhook secret. */
    public HttpResult webhook(byte[] body) throws IOException {
        return post("/webhooks/planetscale", body,
                Map.of("X-PlanetScale-Signature", Signatures.planetScale(WEBHOOK_SECRET, body)),
                MediaType.get("application/json"));
    }

    public HttpResult post(String path, byte[] body, Map<String, String> headers, MediaType type) throws IOException {
        Request.Builder request = new Request.Builder().url(url(path)).post(RequestBody.create(body, type));
        headers.forEach(request::header);
        long start = System.nanoTime();
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            return new HttpResult(response.code(), text, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    public HttpResult get(String path) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url(path)).build()).execute()) {
            return new HttpResult(response.code(), response.body() == null ? "" : response.body().string(),
                    Duration.ZERO);
        }
    }

    public static byte[] formBody(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((key, value) -> {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // Our own idle keep-alive connections first, so the server's graceful stop has nothing to wait for.
        http.connectionPool().evictAll();
        http.dispatcher().executorService().shutdown();
        cutover.close();
    }
}
