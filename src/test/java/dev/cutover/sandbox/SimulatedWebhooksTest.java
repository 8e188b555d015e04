package dev.cutover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.deploy.Actor;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.Signatures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulator's webhook endpoints (planetscale-api.md §7.1): create, list, update, test, with {@code enabled} and
 * {@code last_sent_*}, and a webhook that keeps failing gets disabled. A MockWebServer is the receiving end.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatedWebhooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeClock clock = new FakeClock();
    private final MockWebServer receiver = new MockWebServer();
    private PlanetScaleSimulator simulator;
    private SandboxClient client;

    @BeforeEach
    void start() throws Exception {
        receiver.start();
        simulator = new PlanetScaleSimulator(clock, "acme", null, "dashboard-secret", Runnable::run);
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
    void create_list_test_andTheTestArrivesSignedWithTheWebhooksOwnSecret() throws Exception {
        SandboxClient.Reply created = create();

        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asText();
        String secret = created.json().path("secret").asText();
        assertThat(secret).isNotBlank();
        assertThat(created.json().path("enabled").asBoolean()).isTrue();
        assertThat(created.json().path("last_sent_success").isNull()).isTrue();
        assertThat(client.get("/databases/shop/webhooks").json().path("data")).hasSize(1);

        receiver.enqueue(new MockResponse().setResponseCode(200));
        assertThat(client.post("/databases/shop/webhooks/" + id + "/test", "{}").status()).isEqualTo(204);

        RecordedRequest test = receiver.takeRequest(5, TimeUnit.SECONDS);
        String body = test.getBody().readUtf8();
        assertThat(JSON.readTree(body).path("event").asText()).isEqualTo("webhook.test");
        assertThat(test.getHeaders().get("X-PlanetScale-Signature")).isEqualTo(Signatures.planetScale(secret,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        JsonNode after = client.get("/databases/shop/webhooks/" + id).json();
        assertThat(after.path("last_sent_success").asBoolean()).isTrue();
        assertThat(after.path("last_sent_result").asText()).startsWith("200");
        assertThat(client.post("/databases/shop/webhooks/" + id + "/test", "{}").status())
                .as("one test every 20 seconds").isEqualTo(422);
    }

    @Test
    void deliveriesThatKeepFailing_disableTheWebhook_andPatchReenablesIt() throws Exception {
        String id = create().json().path("id").asText();
        simulator.breakWebhookDeliveries("shop", true);

        for (int i = 0; i < 3; i++) {
            simulator.createDeployRequest(DeployRequestSeed.of("shop", "b" + i, new Actor("a", "A"),
                    List.of("ALTER TABLE t ADD COLUMN c" + i + " INT")));
        }

        JsonNode disabled = client.get("/databases/shop/webhooks/" + id).json();
        assertThat(disabled.path("enabled").asBoolean()).isFalse();
        assertThat(disabled.path("last_sent_success").asBoolean()).isFalse();
        assertThat(disabled.path("last_sent_result").asText()).contains("Connection refused");

        simulator.breakWebhookDeliveries("shop", false);
        JsonNode patched = client.patch("/databases/shop/webhooks/" + id, "{\"enabled\":true}").json();
        assertThat(patched.path("enabled").asBoolean()).isTrue();
        receiver.enqueue(new MockResponse().setResponseCode(200));
        simulator.createDeployRequest(DeployRequestSeed.of("shop", "b9", new Actor("a", "A"),
                List.of("ALTER TABLE t ADD COLUMN c9 INT")));
        assertThat(JSON.readTree(receiver.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8()).path("event").asText())
                .isEqualTo("deploy_request.opened");
    }

    private SandboxClient.Reply create() throws Exception {
        clock.advance(Duration.ofSeconds(1));
        return client.post("/databases/shop/webhooks", JSON.createObjectNode()
                .put("url", receiver.url("/webhooks/planetscale").toString()).put("enabled", true)
                .set("events", JSON.createArrayNode().add("deploy_request.opened").add("webhook.test")).toString());
    }
}
