package dev.cutover.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.config.Config;
import dev.cutover.deploy.DeployAction;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.sandbox.Steps;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A short, self-contained training run for the JDK's AOT cache (JEP 483/514): starts the sandbox on loopback with a
 * stand-in for Slack that answers {@code ok:true}, sends it what a real user would (health, metrics, signed slash
 * commands, button clicks, the sandbox's own webhooks), and stops. {@code bin/cutover} runs it once per jar with
 * {@code -XX:AOTCacheOutput=target/cutover.aot} and the same flags and class path as the service, so the classes
 * loaded and linked here are ready at the next start. Touches nothing outside a temporary directory.
 */
public final class AotTraining {
    private static final String SIGNING_SECRET = "aot-training-signing-secret";
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("cutover-aot-training");
        HttpServer slack = new HttpServer("127.0.0.1", 0, Map.of("/*", new SlackStandIn()));
        slack.start();
        try {
            String slackUrl = "http://127.0.0.1:" + slack.port();
            Config config = Config.fromEnvironment(Map.of(
                    "SLACK_BOT_TOKEN", "xoxb-aot-training",
                    "SLACK_SIGNING_SECRET", SIGNING_SECRET,
                    "SLACK_API_URL", slackUrl + "/api/",
                    "PORT", "0",
                    "CUTOVER_DATA_DIR", dataDir.toString(),
                    "CUTOVER_DEFAULT_CHANNEL", "C0TRAINING"), true);
            Cutover.Options options = new Cutover.Options(false, true, "127.0.0.1",
                    Steps.DEFAULT, false, Cutover.Limits.DEFAULT);
            try (Cutover cutover = Cutover.start(config, Clock.systemUTC(), options)) {
                exercise("http://127.0.0.1:" + cutover.port(), slackUrl + "/respond");
                // Let the outbox deliver the sandbox's webhooks, and answers reach the stand-in.
                Thread.sleep(Duration.ofSeconds(2));
            }
        } finally {
            slack.close();
            deleteRecursively(dataDir);
        }
        System.out.println("AOT training run done");
    }

    private static void exercise(String cutover, String responseUrl) throws IOException {
        OkHttpClient http = new OkHttpClient();
        get(http, cutover + "/healthz");
        get(http, cutover + "/metrics");
        String[] commands = {"help", "list", "show shop 1", "queue shop", "subscribe shop", "subscriptions",
            "approve shop 1", "deploy shop 1", "show shop#2", "frobnicate"};
        for (String text : commands) {
            post(http, cutover + "/slack/events", command(text, responseUrl));
        }
        for (String actionId : new String[] {DeployRequestCard.REFRESH_ACTION_ID, DeployAction.DEPLOY.actionId(),
            DeployRequestCard.SHOW_ACTION_ID}) {
            post(http, cutover + "/slack/events", click(actionId, Config.SANDBOX_ORG + "/shop/1", responseUrl));
        }
        post(http, cutover + "/webhooks/planetscale", "{}".getBytes(StandardCharsets.UTF_8)); // unsigned: 401
        get(http, cutover + "/healthz");
    }

    private static byte[] command(String text, String responseUrl) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("team_id", "T0TRAINING");
        form.put("channel_id", "C0TRAINING");
        form.put("user_id", "U0TRAINING");
        form.put("user_name", "trainer");
        form.put("command", "/pscale");
        form.put("text", text);
        form.put("response_url", responseUrl);
        form.put("trigger_id", "1.2.3");
        return form(form);
    }

    private static byte[] click(String actionId, String value, String responseUrl) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        payload.putObject("team").put("id", "T0TRAINING");
        payload.putObject("user").put("id", "U0TRAINING").put("username", "trainer").put("name", "trainer");
        payload.putObject("container").put("type", "message").put("message_ts", "1700000000.000001")
                .put("channel_id", "C0TRAINING").put("is_ephemeral", false);
        payload.putObject("channel").put("id", "C0TRAINING");
        payload.putObject("message").put("type", "message").put("ts", "1700000000.000001").put("text", "card");
        payload.put("response_url", responseUrl);
        payload.putArray("actions").addObject().put("action_id", actionId).put("block_id", "actions")
                .put("value", value).put("type", "button").put("action_ts", "1700000000.000002");
        return form(Map.of("payload", payload.toString()));
    }

    private static byte[] form(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((key, value) -> body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void post(OkHttpClient http, String url, byte[] body) throws IOException {
        long now = Instant.now().getEpochSecond();
        Request request = new Request.Builder().url(url).post(RequestBody.create(body, FORM))
                .header("X-Slack-Request-Timestamp", Long.toString(now))
                .header("X-Slack-Signature", sign(now, body)).build();
        try (Response response = http.newCall(request).execute()) {
            response.body().string();
        }
    }

    private static void get(OkHttpClient http, String url) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            response.body().string();
        }
    }

    private static String sign(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Slack for the training run: every Web API method and every response_url answers {@code ok:true}. */
    private static final class SlackStandIn extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            request.getInputStream().readAllBytes();
            response.setContentType("application/json");
            String method = request.getRequestURI();
            String body = method.endsWith("chat.postMessage") || method.endsWith("chat.update")
                    ? "{\"ok\":true,\"channel\":\"C0TRAINING\",\"ts\":\"1700000000.000100\"}"
                    : method.endsWith("conversations.info")
                    ? "{\"ok\":true,\"channel\":{\"id\":\"C0TRAINING\",\"is_member\":true,\"is_private\":false}}"
                    : "{\"ok\":true}";
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
