package dev.cutover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.deploy.Actor;
import dev.cutover.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatorWebhookTest {
    private static final String SECRET = "whsec-test-secret";
    private static final Actor ALICE = new Actor("alice-ng", "Alice Ng");
    private static final List<String> DDL = List.of("ALTER TABLE `orders` ADD INDEX `idx_customer` (`customer_id`)");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Steps STEPS = Steps.DEFAULT;

    private final FakeClock clock = new FakeClock();
    private final MockWebServer receiver = new MockWebServer();
    private PlanetScaleSimulator simulator;
    private SandboxClient client;

    @BeforeEach
    void start() throws Exception {
        // Answer 200 whenever no response is queued (MockWebServer would otherwise hold the request).
        ((QueueDispatcher) receiver.getDispatcher()).setFailFast(new MockResponse());
        receiver.start();
        simulator = new PlanetScaleSimulator(clock, "acme", receiver.url("/webhooks/planetscale").toString(), SECRET,
                Runnable::run, STEPS);
        simulator.start();
        simulator.setDatabase("shop", false);
        client = new SandboxClient(simulator);
    }

    @AfterEach
    void stop() throws Exception {
        simulator.close();
        receiver.shutdown();
    }

    @Test
    void webhook_isSignedWithHexHmacOfTheExactBody() throws Exception {
        simulator.createDeployRequest("shop", "add-index", "main", ALICE, true, false, DDL);

        RecordedRequest delivery = receiver.takeRequest(5, TimeUnit.SECONDS);

        byte[] body = delivery.getBody().readByteArray();
        assertThat(delivery.getMethod()).isEqualTo("POST");
        assertThat(delivery.getPath()).isEqualTo("/webhooks/planetscale");
        assertThat(delivery.getHeader("X-PlanetScale-Signature")).isEqualTo(hmac(body));
        assertThat(delivery.getHeader("X-PlanetScale-Signature")).matches("[0-9a-f]{64}");
    }

    @Test
    void openedWebhook_carriesTheEnvelopeAndTheFullDeployRequest() throws Exception {
        int number = simulator.createDeployRequest("shop", "add-index", "main", ALICE, true, false, DDL);

        JsonNode envelope = MAPPER.readTree(receiver.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());

        assertThat(envelope.path("timestamp").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(envelope.path("event").asText()).isEqualTo("deploy_request.opened");
        assertThat(envelope.path("organization").asText()).isEqualTo("acme");
        assertThat(envelope.path("database").asText()).isEqualTo("shop");
        assertThat(envelope.path("resource")).isEqualTo(client.get("/databases/shop/deploy-requests/" + number).json());
        assertThat(envelope.path("resource").path("deployment_state").asText()).isEqualTo("pending");
    }

    @Test
    void gatedLifecycleWithRevert_sendsEventsInOrder() throws Exception {
        int number = simulator.createDeployRequest("shop", "add-index", "main", ALICE, false, false, DDL);
        String path = "/databases/shop/deploy-requests/" + number;
        advance(STEPS.checks());
        client.post(path + "/deploy", "{}");
        advance(STEPS.queue());
        advance(STEPS.run());
        client.post(path + "/apply-deploy", "{}");
        advance(STEPS.cutover());
        client.post(path + "/revert", "{}");
        advance(STEPS.revert());

        List<JsonNode> deliveries = deliveries();

        assertThat(deliveries).extracting(d -> d.path("event").asText()).containsExactly(
                "deploy_request.opened", "deploy_request.queued", "deploy_request.in_progress",
                "deploy_request.pending_cutover", "deploy_request.schema_applied", "deploy_request.reverted",
                "deploy_request.closed");
        assertThat(deliveries).extracting(d -> d.path("resource").path("deployment_state").asText()).containsExactly(
                "pending", "queued", "in_progress", "pending_cutover", "complete_pending_revert", "in_progress_revert",
                "complete_revert");
    }

    @Test
    void revertWindowExpiry_sendsClosed() throws Exception {
        int number = simulator.createDeployRequest("shop", "add-index", "main", ALICE, true, false, DDL);
        advance(STEPS.checks());
        client.post("/databases/shop/deploy-requests/" + number + "/deploy", "{}");
        advance(STEPS.queue().plus(STEPS.run()).plus(STEPS.cutover()));

        advance(Duration.ofMinutes(30));

        List<JsonNode> deliveries = deliveries();
        JsonNode last = deliveries.get(deliveries.size() - 1);
        assertThat(deliveries).extracting(d -> d.path("event").asText()).containsExactly(
                "deploy_request.opened", "deploy_request.queued", "deploy_request.in_progress",
                "deploy_request.schema_applied", "deploy_request.closed");
        assertThat(last.path("resource").path("deployment_state").asText()).isEqualTo("complete");
        assertThat(last.path("resource").path("state").asText()).isEqualTo("closed");
    }

    @Test
    void lintErrors_sendErrored() throws Exception {
        simulator.createDeployRequest(DeployRequestSeed.of("shop", "logs", ALICE, List.of("CREATE TABLE `logs` (`l` text)"))
                .withLintError("NO_UNIQUE_KEY", "logs", "table \"logs\" has no unique key"));

        advance(STEPS.checks());

        assertThat(deliveries()).extracting(d -> d.path("event").asText())
                .containsExactly("deploy_request.opened", "deploy_request.errored");
    }

    @Test
    void failedRun_sendsErrored() throws Exception {
        int number = simulator.createDeployRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL)
                .withChecksDone().failingWhileRunning());
        client.post("/databases/shop/deploy-requests/" + number + "/deploy", "{}");

        advance(STEPS.queue().plus(STEPS.run()));

        List<JsonNode> deliveries = deliveries();
        JsonNode last = deliveries.get(deliveries.size() - 1);
        assertThat(last.path("event").asText()).isEqualTo("deploy_request.errored");
        assertThat(last.path("resource").path("deployment_state").asText()).isEqualTo("complete_error");
    }

    @Test
    void manualClose_sendsClosed() throws Exception {
        int number = simulator.createDeployRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL).withChecksDone());

        client.patch("/databases/shop/deploy-requests/" + number, "{\"state\":\"closed\"}");

        assertThat(deliveries()).extracting(d -> d.path("event").asText())
                .containsExactly("deploy_request.opened", "deploy_request.closed");
    }

    @Test
    void testWebhook_carriesTheDatabase() throws Exception {
        simulator.sendTestWebhook("shop");

        JsonNode envelope = deliveries().get(0);

        assertThat(envelope.path("event").asText()).isEqualTo("webhook.test");
        assertThat(envelope.path("resource").path("type").asText()).isEqualTo("Database");
        assertThat(envelope.path("resource").path("name").asText()).isEqualTo("shop");
    }

    @Test
    void failedDelivery_isNotRetried() throws Exception {
        receiver.enqueue(new MockResponse().setResponseCode(500));
        simulator.createDeployRequest(DeployRequestSeed.of("shop", "add-index", ALICE, DDL).withChecksDone());

        simulator.sendTestWebhook("shop");

        assertThat(deliveries()).extracting(d -> d.path("event").asText())
                .containsExactly("deploy_request.opened", "webhook.test");
        assertThat(receiver.getRequestCount()).isEqualTo(2);
    }

    @Test
    void deliveries_runOnTheGivenExecutor() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (PlanetScaleSimulator asynchronous = new PlanetScaleSimulator(clock, "acme",
                receiver.url("/async").toString(), SECRET, executor, STEPS)) {
            asynchronous.start();
            asynchronous.setDatabase("shop", false);

            asynchronous.sendTestWebhook("shop");

            RecordedRequest delivery = receiver.takeRequest(5, TimeUnit.SECONDS);
            assertThat(delivery).isNotNull();
            assertThat(delivery.getPath()).isEqualTo("/async");
        } finally {
            executor.shutdownNow();
        }
    }

    private List<JsonNode> deliveries() throws Exception {
        List<JsonNode> deliveries = new ArrayList<>();
        RecordedRequest delivery;
        while ((delivery = receiver.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            byte[] body = delivery.getBody().readByteArray();
            assertThat(delivery.getHeader("X-PlanetScale-Signature")).isEqualTo(hmac(body));
            deliveries.add(MAPPER.readTree(body));
        }
        return deliveries;
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        simulator.tick();
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
