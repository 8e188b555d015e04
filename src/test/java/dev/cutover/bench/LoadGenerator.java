package dev.cutover.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.testing.Signatures;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The benchmark's client side: {@code java -cp … dev.cutover.bench.LoadGenerator <scenario> key=value…}.
 *
 * <ul>
 *   <li>{@code bodies out=… count=… idBase=…}: distinct signed webhook bodies for wrk, one {@code <signature> <json>} per
 *       line;</li>
 *   <li>{@code intake rate=… seconds=… idBase=…}: signed webhooks at a fixed rate (open loop);</li>
 *   <li>{@code commands rate=… seconds=…}: half {@code /pscale show}, half button clicks, at a fixed rate; then
 *       waits for every answer at the response_url stand-in;</li>
 *   <li>{@code notify rate=… seconds=… channels=…}: subscribes one channel per database with signed
 *       {@code /pscale subscribe} commands, then sends webhooks and times each one to the first Slack call.</li>
 * </ul>
 *
 * Common keys: {@code cutover=http://127.0.0.1:PORT}, {@code slack=http://127.0.0.1:PORT},
 * {@code org}, {@code webhookSecret}, {@code signingSecret}, {@code tag} (names response_urls uniquely);
 * {@code idBase} keeps webhook ids (and so dedupe keys) distinct between scenarios of one run. Results are
 * printed as {@code ROW|section|measure|value|target|verdict} lines for {@code bench/run.sh}.
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final Map<String, String> options;
    private final OkHttpClient http = new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
            .connectTimeout(5, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS)
            .retryOnConnectionFailure(false).build();
    private final ObjectNode webhookTemplate;

    private LoadGenerator(Map<String, String> options) throws IOException {
        this.options = options;
        try (InputStream in = LoadGenerator.class.getResourceAsStream("/planetscale/webhook-deploy-request-queued.json")) {
            this.webhookTemplate = (ObjectNode) JSON.readTree(in);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            options.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        LoadGenerator generator = new LoadGenerator(options);
        switch (args[0]) {
            case "bodies" -> generator.bodies();
            case "intake" -> generator.intake();
            case "commands" -> generator.commands();
            case "notify" -> generator.notifyScenario();
            case "burst" -> generator.burst();
            case "backlog" -> generator.backlog();
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        generator.http.dispatcher().executorService().shutdown();
        generator.http.connectionPool().evictAll();
        System.exit(0);
    }

    // ---- Scenarios ----

    private void bodies() throws IOException {
        int count = integer("count");
        int idBase = integer("idBase");
        String secret = option("webhookSecret");
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(option("out")), UTF_8)) {
            for (int i = 0; i < count; i++) {
                byte[] body = webhook(idBase + i, "intake-" + (i % 4), "wrk-" + option("tag") + "-" + i);
                out.write(Signatures.planetScale(secret, body));
                out.write(' ');
                out.write(new String(body, UTF_8));
                out.write('\n');
            }
        }
        System.out.println("wrote " + count + " signed webhook bodies");
    }

    private void intake() throws Exception {
        double rate = number("rate");
        Duration duration = Duration.ofSeconds(integer("seconds"));
        int count = (int) Math.round(rate * duration.toSeconds());
        int idBase = integer("idBase");
        String secret = option("webhookSecret");
        String url = option("cutover") + "/webhooks/planetscale";
        List<byte[]> bodies = new ArrayList<>(count);
        List<String> signatures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] body = webhook(idBase + i, "intake-" + (i % 4), "open-" + option("tag") + "-" + i);
            bodies.add(body);
            signatures.add(Signatures.planetScale(secret, body));
        }
        warmUp(url);
        OpenLoop.Result result = OpenLoop.run(rate, duration, 128, i -> post(url, bodies.get(i),
                Map.of("X-PlanetScale-Signature", signatures.get(i)), JSON_TYPE));
        double achieved = (result.count() - result.failures()) / result.seconds();
        String label = "open loop " + (int) rate + "/s";
        row("webhook intake", label + ": events accepted (2xx)", (result.count() - result.failures()) + " of "
                + result.count(), "all", result.failures() == 0);
        row("webhook intake", label + ": throughput", String.format(Locale.ROOT, "%.0f events/s", achieved),
                "≥ 2 000/s", achieved >= 1_950);
        row("webhook intake", label + ": ack p50", millis(result.percentile(50)), "—", true);
        row("webhook intake", label + ": ack p99", millis(result.percentile(99)), "≤ 20 ms",
                result.percentile(99) <= 20_000);
        row("webhook intake", label + ": ack max", millis(result.percentile(100)), "—", true);
    }

    private void commands() throws Exception {
        double rate = number("rate");
        Duration duration = Duration.ofSeconds(integer("seconds"));
        String tag = option("tag");
        String url = option("cutover") + "/slack/events";
        String secret = option("signingSecret");
        String org = option("org");
        OpenLoop.Result result = OpenLoop.run(rate, duration, 128, i -> {
            String responseUrl = option("slack") + "/responses/" + tag + "-" + i;
            String user = "U0BENCH" + (i % 50);
            int number = 10_000 + i;
            String db = "bench-" + (i % 10);
            byte[] body;
            if (i % 2 == 0) {
                body = command(user, "C0BENCHCMD", "show " + db + " " + number, responseUrl);
            } else {
                String action = i % 4 == 1 ? "cutover:refresh" : "cutover:approve";
                body = click(user, "C0BENCHCMD", action, org + "/" + db + "/" + number, responseUrl);
            }
            return signedSlack(url, secret, body);
        });
        String label = (int) rate + " req/s for " + duration.toSeconds() + " s, PlanetScale 1.5 s per call";
        row("commands + clicks", label + ": acked 2xx", (result.count() - result.failures()) + " of "
                + result.count(), "all", result.failures() == 0);
        row("commands + clicks", "ack p50", millis(result.percentile(50)), "—", true);
        row("commands + clicks", "ack p99", millis(result.percentile(99)), "≤ 50 ms", result.percentile(99) <= 50_000);
        row("commands + clicks", "ack max", millis(result.percentile(100)), "—", true);

        Map<String, Long> answers = awaitRecords("/bench/responses?prefix=" + tag + "-", result.count(),
                Duration.ofSeconds(integer("waitSeconds")));
        long[] answerLatency = new long[answers.size()];
        int k = 0;
        for (Map.Entry<String, Long> answer : answers.entrySet()) {
            int index = Integer.parseInt(answer.getKey().substring(tag.length() + 1));
            answerLatency[k++] = answer.getValue() - result.intendedMicros()[index];
        }
        row("commands + clicks", "users answered at response_url", answers.size() + " of " + result.count(),
                "all", answers.size() == result.count());
        row("commands + clicks", "answer p50 (from send)", millis(OpenLoop.Stats.percentile(answerLatency, 50)), "—",
                true);
        row("commands + clicks", "slowest answer (from send)", millis(OpenLoop.Stats.percentile(answerLatency, 100)),
                "—", true);
    }

    private void notifyScenario() throws Exception {
        double rate = number("rate");
        Duration duration = Duration.ofSeconds(integer("seconds"));
        int channels = integer("channels");
        String tag = option("tag");
        int idBase = integer("idBase");
        String slackUrl = option("cutover") + "/slack/events";
        String webhookUrl = option("cutover") + "/webhooks/planetscale";

        // Subscribe: one channel per database, through signed /pscale subscribe commands, and wait for the answers.
        for (int c = 0; c < channels; c++) {
            byte[] body = command("U0BENCHSUB", channel(c), "subscribe bench-" + c,
                    option("slack") + "/responses/" + tag + "-sub-" + c);
            int status = signedSlack(slackUrl, option("signingSecret"), body);
            if (status != 200) {
                throw new IllegalStateException("subscribe answered " + status);
            }
        }
        Map<String, Long> subscribed = awaitRecords("/bench/responses?prefix=" + tag + "-sub-", channels,
                Duration.ofSeconds(30));
        if (subscribed.size() != channels) {
            throw new IllegalStateException("only " + subscribed.size() + " subscriptions answered");
        }

        int count = (int) Math.round(rate * duration.toSeconds());
        String secret = option("webhookSecret");
        List<byte[]> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int id = idBase + i;
            bodies.add(webhook(id, "bench-" + (i % channels), "nbench-" + id));
        }
        OpenLoop.Result result = OpenLoop.run(rate, duration, 32, i -> post(webhookUrl, bodies.get(i),
                Map.of("X-PlanetScale-Signature", Signatures.planetScale(secret, bodies.get(i))), JSON_TYPE));

        Map<String, Long> firstCalls = awaitRecords("/bench/first-calls", -1, Duration.ZERO);
        List<Long> latencies = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(integer("waitSeconds"));
        while (true) {
            latencies.clear();
            for (int i = 0; i < count; i++) {
                Long at = firstCalls.get(Integer.toString(idBase + i));
                if (at != null) {
                    latencies.add(at - result.intendedMicros()[i]);
                }
            }
            if (latencies.size() == count || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(250); // polling a remote counter, not letting time pass for the system under test
            firstCalls = awaitRecords("/bench/first-calls", -1, Duration.ZERO);
        }
        long[] samples = latencies.stream().mapToLong(Long::longValue).toArray();
        String label = (int) rate + " events/s over " + channels + " channels for " + duration.toSeconds() + " s";
        String section = "webhook → first Slack call";
        row(section, label + ": webhooks acked 2xx", (count - result.failures()) + " of " + count, "all",
                result.failures() == 0);
        row(section, label + ": events that reached Slack", samples.length + " of " + count, "all",
                samples.length == count);
        row(section, label + ": p50", millis(OpenLoop.Stats.percentile(samples, 50)), "≤ 50 ms",
                OpenLoop.Stats.percentile(samples, 50) <= 50_000);
        row(section, label + ": p99", millis(OpenLoop.Stats.percentile(samples, 99)), "≤ 250 ms",
                OpenLoop.Stats.percentile(samples, 99) <= 250_000);
        row(section, label + ": max", millis(OpenLoop.Stats.percentile(samples, 100)), "—", true);
    }

    /** Each burst deploy request's life: event and deployment_state; the card must end on the last. */
    private static final String[][] LIFE = {
        {"deploy_request.opened", "ready"}, {"deploy_request.queued", "queued"},
        {"deploy_request.in_progress", "in_progress"}, {"deploy_request.pending_cutover", "pending_cutover"},
        {"deploy_request.queued", "queued"}, {"deploy_request.in_progress", "in_progress"},
        {"deploy_request.pending_cutover", "pending_cutover"},
        {"deploy_request.schema_applied", "complete_pending_revert"},
        {"deploy_request.reverted", "in_progress_revert"}, {"deploy_request.reverted", "complete_revert"},
    };

    /**
     * {@code burst requests=20}: {@code requests × 10} transitions into one channel ({@code C0BURST}, database
     * {@code burst}) as fast as they are acked; then how long until every card shows its final state (from the
     * ack of that deploy request's last webhook), and, once the outbox is empty, posts, once-only keys and reply
     * lines counted at the Slack stand-in.
     */
    private void burst() throws Exception {
        int requests = integer("requests");
        int idBase = integer("idBase");
        subscribe(SlackStandIn.BURST_CHANNEL, "burst", option("tag") + "-burst-sub");
        String webhookUrl = option("cutover") + "/webhooks/planetscale";
        String secret = option("webhookSecret");
        long[] lastAck = new long[requests];
        int failures = 0;
        for (int step = 0; step < LIFE.length; step++) {
            for (int r = 0; r < requests; r++) {
                byte[] body = transition(idBase + r, "burst", "bburst-" + r, LIFE[step][0], LIFE[step][1], step);
                if (post(webhookUrl, body, Map.of("X-PlanetScale-Signature", Signatures.planetScale(secret, body)),
                        JSON_TYPE) != 200) {
                    failures++;
                }
                lastAck[r] = Clocks.nowMicros();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(integer("waitSeconds"));
        Map<String, Long> seen = awaitRecords("/bench/burst", requests + 4, Duration.ofSeconds(integer("waitSeconds")));
        long worst = 0;
        int current = 0;
        for (int r = 0; r < requests; r++) {
            Long at = seen.get("final-" + r);
            if (at != null) {
                current++;
                worst = Math.max(worst, at - lastAck[r]);
            }
        }
        while (System.nanoTime() < deadline && !outboxEmpty()) {
            Thread.sleep(250); // polling a remote gauge, not letting time pass for the system under test
        }
        seen = awaitRecords("/bench/burst", -1, Duration.ZERO);
        long transitions = (long) requests * LIFE.length;
        String section = "burst into one channel";
        String label = transitions + " transitions over " + requests + " deploy requests";
        row(section, label + ": webhooks acked 2xx", (transitions - failures) + " of " + transitions, "all",
                failures == 0);
        row(section, "cards showing the final state", current + " of " + requests, "all", current == requests);
        row(section, "slowest card to show its final state (from its last webhook)", millis(worst), "≤ 30 s",
                current == requests && worst <= 30_000_000);
        long posts = seen.getOrDefault("posts", 0L);
        long keys = seen.getOrDefault("keys", 0L);
        long lines = seen.getOrDefault("reply_lines", 0L);
        row(section, "Slack posts (parents + replies) / distinct once-only keys", posts + " / " + keys,
                "no duplicates", posts == keys);
        row(section, "transition lines in replies (all but 'opened')", lines + " of " + (transitions - requests),
                "nothing lost", lines == transitions - requests);
        row(section, "card updates (chat.update, not paced)", Long.toString(seen.getOrDefault("updates", 0L)), "—",
                true);
    }

    /**
     * {@code backlog count=4500}: that many new deploy requests into one channel ({@code C0BACKLOG}, database
     * {@code backlog}), sent by 8 connections as fast as they are acked; they then wait for Slack's pace.
     */
    private void backlog() throws Exception {
        int count = integer("count");
        int idBase = integer("idBase");
        subscribe("C0BACKLOG", "backlog", option("tag") + "-backlog-sub");
        String webhookUrl = option("cutover") + "/webhooks/planetscale";
        String secret = option("webhookSecret");
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread sender = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                        byte[] body = webhook(idBase + i, "backlog", "backlog-" + i);
                        if (post(webhookUrl, body, Map.of("X-PlanetScale-Signature",
                                Signatures.planetScale(secret, body)), JSON_TYPE) != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        row("paced backlog", count + " new deploy requests into one channel: acked 2xx",
                (count - failures.get()) + " of " + count, "all", failures.get() == 0);
    }

    private void subscribe(String channel, String database, String name) throws Exception {
        byte[] body = command("U0BENCHSUB", channel, "subscribe " + database, option("slack") + "/responses/" + name);
        if (signedSlack(option("cutover") + "/slack/events", option("signingSecret"), body) != 200) {
            throw new IllegalStateException("subscribe refused");
        }
        if (awaitRecords("/bench/responses?prefix=" + name, 1, Duration.ofSeconds(30)).isEmpty()) {
            throw new IllegalStateException("subscribe not answered");
        }
    }

    private boolean outboxEmpty() throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(option("cutover") + "/healthz").build())
                .execute()) {
            return response.body() != null && response.body().string().contains("\"outbox\":0");
        }
    }

    /** Deploy request {@code id}'s webhook for one step of its life, {@code step} seconds after it opened. */
    private byte[] transition(int id, String database, String branch, String event, String state, int step)
            throws IOException {
        ObjectNode body = (ObjectNode) JSON.readTree(webhook(id, database, branch));
        body.put("event", event);
        ObjectNode resource = (ObjectNode) body.path("resource");
        String updated = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(id * 100L + step).toString();
        resource.put("deployment_state", state).put("updated_at", updated);
        ((ObjectNode) resource.path("deployment")).put("updated_at", updated);
        return JSON.writeValueAsBytes(body);
    }

    // ---- Requests ----

    /** A realistic {@code deploy_request.queued} webhook, unique by resource id, number and updated_at. */
    private byte[] webhook(int id, String database, String branch) throws IOException {
        ObjectNode body = webhookTemplate.deepCopy();
        String org = option("org");
        Instant updated = Instant.parse("2024-01-01T00:00:00Z").plusMillis(id);
        int number = 1_000 + id;
        body.put("timestamp", Instant.now().getEpochSecond()).put("organization", org).put("database", database);
        ObjectNode resource = (ObjectNode) body.path("resource");
        resource.put("id", String.format(Locale.ROOT, "b%011d", id)).put("number", number).put("branch", branch)
                .put("updated_at", updated.toString())
                .put("html_url", "https://app.planetscale.com/" + org + "/" + database + "/deploy-requests/" + number);
        ObjectNode deployment = (ObjectNode) resource.path("deployment");
        deployment.put("id", String.format(Locale.ROOT, "d%011d", id)).put("deploy_request_number", number)
                .put("updated_at", updated.toString());
        return JSON.writeValueAsBytes(body);
    }

    private static byte[] command(String user, String channel, String text, String responseUrl) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "legacy");
        form.put("team_id", "T0BENCH");
        form.put("team_domain", "bench");
        form.put("channel_id", channel);
        form.put("channel_name", "bench");
        form.put("user_id", user);
        form.put("user_name", user.toLowerCase(Locale.ROOT));
        form.put("command", "/pscale");
        form.put("text", text);
        form.put("api_app_id", "A0CUTOVER");
        form.put("response_url", responseUrl);
        form.put("trigger_id", "1337.42.abcd");
        return form(form);
    }

    /** A click on an ephemeral card (so the answer always goes to the response_url). */
    private static byte[] click(String user, String channel, String actionId, String value, String responseUrl) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        payload.putObject("team").put("id", "T0BENCH").put("domain", "bench");
        payload.putObject("user").put("id", user).put("username", user.toLowerCase(Locale.ROOT))
                .put("name", user.toLowerCase(Locale.ROOT)).put("team_id", "T0BENCH");
        payload.put("api_app_id", "A0CUTOVER").put("token", "legacy").put("trigger_id", "1337.42.abcd");
        payload.putObject("container").put("type", "message").put("message_ts", "1700000000.000100")
                .put("channel_id", channel).put("is_ephemeral", true);
        payload.putObject("channel").put("id", channel).put("name", "bench");
        payload.put("response_url", responseUrl);
        ArrayNode actions = payload.putArray("actions");
        actions.addObject().put("action_id", actionId).put("block_id", "actions").put("value", value)
                .put("type", "button").put("action_ts", "1700000000.000001");
        return form(Map.of("payload", payload.toString()));
    }

    private int signedSlack(String url, String secret, byte[] body) throws IOException {
        long now = Instant.now().getEpochSecond();
        return post(url, body, Map.of("X-Slack-Request-Timestamp", Long.toString(now),
                "X-Slack-Signature", Signatures.slack(secret, now, body)), FORM);
    }

    private int post(String url, byte[] body, Map<String, String> headers, MediaType type) throws IOException {
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, type));
        headers.forEach(request::header);
        try (Response response = http.newCall(request.build()).execute()) {
            if (response.body() != null) {
                response.body().bytes();
            }
            return response.code();
        }
    }

    /** A few requests first, so connection set-up is not measured as the service's latency. */
    private void warmUp(String url) throws IOException {
        for (int i = 0; i < 20; i++) {
            post(url, "{}".getBytes(UTF_8), Map.of("X-PlanetScale-Signature", "00"), JSON_TYPE);
        }
    }

    /**
     * Reads {@code key epochMicros} lines from the Slack stand-in, polling until {@code expected} records are
     * there or {@code timeout} passes ({@code expected < 0}: read once).
     */
    private Map<String, Long> awaitRecords(String path, int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Long> records = new HashMap<>();
            try (Response response = http.newCall(new Request.Builder().url(option("slack") + path).build()).execute()) {
                for (String line : response.body().string().split("\n")) {
                    int space = line.lastIndexOf(' ');
                    if (space > 0) {
                        records.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
                    }
                }
            }
            if (expected < 0 || records.size() >= expected || System.nanoTime() > deadline) {
                return records;
            }
            Thread.sleep(250); // polling a remote counter, not letting time pass for the system under test
        }
    }

    private static byte[] form(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((key, value) -> {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(key, UTF_8)).append('=').append(URLEncoder.encode(value, UTF_8));
        });
        return body.toString().getBytes(UTF_8);
    }

    private static String channel(int index) {
        return String.format(Locale.ROOT, "C0BENCH%02d", index);
    }

    private static void row(String section, String measure, String value, String target, boolean met) {
        String verdict = target.equals("—") ? "—" : met ? "met" : "MISSED";
        System.out.println("ROW|" + section + "|" + measure + "|" + value + "|" + target + "|" + verdict);
    }

    private static String millis(long micros) {
        return OpenLoop.Stats.millis(micros);
    }

    private String option(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name + "=…");
        }
        return value;
    }

    private int integer(String name) {
        return Integer.parseInt(option(name));
    }

    private double number(String name) {
        return Double.parseDouble(option(name));
    }
}
