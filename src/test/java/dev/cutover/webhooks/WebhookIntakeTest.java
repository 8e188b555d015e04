package dev.cutover.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SandboxCalls;
import dev.cutover.testing.Signatures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /webhooks/planetscale} over real HTTP against the whole service: signature first, then size and
 * parsing, then a durable record and 2xx. Nothing is subscribed, so every recorded event goes to the default
 * channel; a rejected request is proven unrecorded by sending a marker event after it and seeing that only the
 * marker reaches Slack (the worker delivers in arrival order).
 */
@Timeout(30)
class WebhookIntakeTest {
    static final String DEFAULT_CHANNEL = "C0INTAKE";
    static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @RegisterExtension
    static final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_DEFAULT_CHANNEL", DEFAULT_CHANNEL);
    static final FakeSlackApi slack = cutover.slack();
    static final FakeClock clock = cutover.clock();
    /** A deploy request exactly as the sandbox's API renders it: the {@code resource} of our bodies. */
    static ObjectNode deployRequest;

    int postsBefore;

    @BeforeAll
    static void startService() throws Exception {
        cutover.service().simulator().webhookUrl(null); // this class sends every webhook itself
        int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of("analytics", "add-index",
                new Actor("bob", "Bob Builder"), List.of("ALTER TABLE events ADD INDEX idx_created (created_at)")));
        deployRequest = (ObjectNode) new SandboxCalls(cutover.service().simulator()).deployRequest("analytics", number);
    }

    @BeforeEach
    void rememberPosts() {
        clock.advance(Duration.ofMinutes(1)); // all posts go to one channel: start each test with full pacing
        awaitOutboxEmpty();
        postsBefore = slack.posts(DEFAULT_CHANNEL).size();
    }

    @Test
    void validSignature_isAcceptedAndRecorded() throws Exception {
        byte[] body = deployRequestEvent("deploy_request.opened");

        RunningCutover.HttpResult answer = cutover.service().webhook(body);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("accepted");
        assertThat(answer.took()).isLessThan(Duration.ofSeconds(2)); // PlanetScale's budget
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !newPosts().isEmpty());
        assertThat(newPosts()).singleElement().satisfies(post -> assertThat(post.param("text")).contains("analytics"));
    }

    @Test
    void uppercaseHexSignature_isAccepted() throws Exception {
        byte[] body = deployRequestEvent("deploy_request.opened");

        RunningCutover.HttpResult answer = post(body,
                Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, body).toUpperCase(Locale.ROOT));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("accepted");
    }

    @Test
    void forgedSignature_isRejectedWith401_andNothingIsRecorded() throws Exception {
        byte[] body = deployRequestEvent("deploy_request.opened");
        String forged = Signatures.planetScale("not-the-webhook-secret", body);

        RunningCutover.HttpResult answer = post(body, forged);

        assertThat(answer.status()).isEqualTo(401);
        assertOnlyTheMarkerIsDelivered();
    }

    @Test
    void signatureOfAnotherBody_isRejectedWith401() throws Exception {
        byte[] body = deployRequestEvent("deploy_request.opened");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("add-index", "drop-table")
                .getBytes(StandardCharsets.UTF_8);

        RunningCutover.HttpResult answer = post(tampered, Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, body));

        assertThat(answer.status()).isEqualTo(401);
        assertOnlyTheMarkerIsDelivered();
    }

    @Test
    void missingSignature_isRejectedWith401_andNothingIsRecorded() throws Exception {
        RunningCutover.HttpResult answer = post(deployRequestEvent("deploy_request.opened"), null);

        assertThat(answer.status()).isEqualTo(401);
        assertOnlyTheMarkerIsDelivered();
    }

    @Test
    void malformedJsonWithAValidSignature_isRejectedWith400() throws Exception {
        byte[] body = "{\"event\":\"deploy_request.opened\",\"resource\":{".getBytes(StandardCharsets.UTF_8);

        RunningCutover.HttpResult answer = cutover.service().webhook(body);

        assertThat(answer.status()).isEqualTo(400);
        assertOnlyTheMarkerIsDelivered();
    }

    @Test
    void deployRequestEventWithoutResourceNumber_isRejectedWith400() throws Exception {
        ObjectNode envelope = envelope("deploy_request.queued", "analytics", RunningCutover.ORG);
        ((ObjectNode) envelope.get("resource")).remove("number");

        RunningCutover.HttpResult answer = cutover.service().webhook(bytes(envelope));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("resource.number");
        assertOnlyTheMarkerIsDelivered();
    }

    @Test
    void bodyDeclaredOverOneMebibyte_isAnswered413BeforeItIsSent() throws Exception {
        byte[] body = oversized();

        String statusLine = rawPost("Content-Length: " + body.length, body, false);

        assertThat(statusLine).startsWith("HTTP/1.1 413");
        assertOnlyTheMarkerIsDelivered();
    }

    @Test
    void chunkedBodyOverOneMebibyteWithoutContentLength_isAnswered413() throws Exception {
        byte[] body = oversized();

        String statusLine = rawPost("Transfer-Encoding: chunked", body, true);

        assertThat(statusLine).startsWith("HTTP/1.1 413");
        assertOnlyTheMarkerIsDelivered();
    }

    @Test
    void unknownEventName_isAnswered200AndIgnored_andCounted() throws Exception {
        byte[] body = bytes(envelope("deploy_request.frobnicated", "analytics", RunningCutover.ORG));

        RunningCutover.HttpResult answer = cutover.service().webhook(body);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("ignored");
        assertOnlyTheMarkerIsDelivered();
        assertThat(cutover.service().get("/metrics").body()).containsPattern(
                "cutover_webhook_events_total\\{[^}]*outcome=\"ignored\"[^}]*} [1-9]");
    }

    @Test
    void aWebhookClaimingToComeFromReconciliation_isAnswered200AndIgnored() throws Exception {
        ObjectNode claimsReconciliation = envelope("deploy_request.opened", "analytics", RunningCutover.ORG);
        claimsReconciliation.putObject("cutover_reconciliation").put("source", "reconciliation");
        ObjectNode reconcilersOwnName = envelope("cutover.deploy_request.approved", "analytics", RunningCutover.ORG);

        RunningCutover.HttpResult claimed = cutover.service().webhook(bytes(claimsReconciliation));
        RunningCutover.HttpResult named = cutover.service().webhook(bytes(reconcilersOwnName));

        assertThat(claimed.status()).isEqualTo(200);
        assertThat(claimed.body()).contains("ignored").contains("not a PlanetScale event");
        assertThat(named.status()).isEqualTo(200);
        assertThat(named.body()).contains("ignored");
        assertOnlyTheMarkerIsDelivered();
    }

    @Test
    void eventOfAnotherOrganization_isAnswered200AndIgnored() throws Exception {
        byte[] body = bytes(envelope("deploy_request.opened", "analytics", "someone-else"));

        RunningCutover.HttpResult answer = cutover.service().webhook(body);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("ignored").contains("other organization");
        assertOnlyTheMarkerIsDelivered();
    }

    @Test
    void nonAsciiBody_isAcceptedAndDeliveredIntact() throws Exception {
        ObjectNode envelope = envelope("deploy_request.opened", "analytics", RunningCutover.ORG);
        ((ObjectNode) envelope.get("resource")).put("notes", "Größe prüfen 🚀 — naïve café");

        RunningCutover.HttpResult answer = cutover.service().webhook(bytes(envelope));

        assertThat(answer.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !newPosts().isEmpty());
        assertThat(newPosts()).singleElement().satisfies(post -> assertThat(post.blocks().toString()).contains("Größe prüfen 🚀 — naïve café"));
    }

    @Test
    void metrics_exposeIntakeDeliveryAndOutboxFigures() throws Exception {
        cutover.service().webhook(deployRequestEvent("deploy_request.opened"));
        awaitOutboxEmpty();

        String metrics = cutover.service().get("/metrics").body();

        assertThat(metrics)
                .containsPattern("cutover_webhook_events_total\\{[^}]*outcome=\"accepted\"")
                .containsPattern("cutover_deliveries_total\\{[^}]*outcome=\"delivered\"")
                .contains("cutover_outbox_depth 0.0")
                .contains("cutover_delivery_latency_seconds_count")
                .contains("cutover_webhook_intake_seconds");
    }

    // ---- helpers ----

    /** A correctly shaped, never-seen-before event about the sandbox's deploy request. */
    private static byte[] deployRequestEvent(String event) {
        return bytes(envelope(event, "analytics", RunningCutover.ORG));
    }

    private static ObjectNode envelope(String event, String database, String organization) {
        ObjectNode resource = deployRequest.deepCopy();
        int unique = UNIQUE.incrementAndGet();
        resource.put("id", "dr-" + unique); // a new dedupe key
        resource.put("number", 1000 + unique); // and a new deploy request, so each gets its own card
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("timestamp", 1_795_262_400L);
        envelope.put("event", event);
        envelope.put("organization", organization);
        envelope.put("database", database);
        envelope.set("resource", resource);
        return envelope;
    }

    private static byte[] oversized() {
        ObjectNode envelope = envelope("deploy_request.opened", "analytics", RunningCutover.ORG);
        byte[] filler = new byte[WebhookServlet.MAX_BODY_BYTES];
        ((ObjectNode) envelope.get("resource")).put("notes", HexFormat.of().formatHex(filler));
        return bytes(envelope);
    }

    /**
     * A correctly signed POST written by hand, so the test controls framing and reads the answer even when the
     * server answers (and closes) before the body is complete, which OkHttp would report as a broken pipe.
     *
     * @param chunked send {@code body} in 64 KiB chunks (no Content-Length); otherwise send only the headers
     * @return the answer's status line
     */
    private static String rawPost(String framingHeader, byte[] body, boolean chunked) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", cutover.service().cutover().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST /webhooks/planetscale HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\n" + framingHeader + "\r\n" + WebhookSignature.HEADER + ": "
                    + Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, body) + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (chunked) {
                try {
                    for (int offset = 0; offset < body.length; offset += 65_536) {
                        int length = Math.min(65_536, body.length - offset);
                        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, offset, length);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // The server stopped reading once the limit was passed; its answer is still there to read.
                }
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            return String.valueOf(in.readLine());
        }
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static RunningCutover.HttpResult post(byte[] body, String signatureOrNull) throws IOException {
        return cutover.service().post("/webhooks/planetscale", body,
                signatureOrNull == null ? Map.of() : Map.of(WebhookSignature.HEADER, signatureOrNull), JSON_TYPE);
    }

    /** Sends a valid {@code webhook.test} and checks it is the only thing posted since the test began. */
    private void assertOnlyTheMarkerIsDelivered() throws IOException {
        String marker = "marker" + UNIQUE.incrementAndGet();
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("timestamp", 1_795_262_400L);
        envelope.put("event", "webhook.test");
        envelope.put("organization", RunningCutover.ORG);
        envelope.put("database", marker);
        envelope.putObject("resource").put("name", marker);
        assertThat(cutover.service().webhook(bytes(envelope)).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !newPosts().isEmpty());
        awaitOutboxEmpty();
        assertThat(newPosts()).singleElement()
                .satisfies(post -> assertThat(post.param("text")).contains(marker));
    }

    private List<FakeSlackApi.Call> newPosts() {
        List<FakeSlackApi.Call> posts = slack.posts(DEFAULT_CHANNEL);
        return posts.subList(postsBefore, posts.size());
    }

    private static void awaitOutboxEmpty() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> cutover.service().get("/healthz").body().contains("\"outbox\":0"));
    }
}
