package dev.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.Signatures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import okhttp3.MediaType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /webhooks/planetscale} over HTTP: a body not signed with our webhook secret gets 401 and is not
 * recorded, so the same event signed properly afterwards is accepted as new rather than as a duplicate.
 */
@Timeout(30)
class WebhookSignatureTest {
    static final MediaType JSON = MediaType.get("application/json");

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    byte[] body;

    @BeforeEach
    void start() throws Exception {
        body = queuedEvent();
    }

    @Test
    void forgedSignature_isRejectedWith401_andNothingIsRecorded() throws Exception {
        String forged = Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(post(forged).status()).isEqualTo(401);

        assertNothingRecorded(1);
    }

    @Test
    void missingSignature_isRejectedWith401_andNothingIsRecorded() throws Exception {
        assertThat(post(null).status()).isEqualTo(401);
        assertThat(post("").status()).isEqualTo(401);

        assertNothingRecorded(2);
    }

    @Test
    void signatureWithAnotherSecret_isRejectedWith401_andNothingIsRecorded() throws Exception {
        assertThat(post(Signatures.planetScale("some-other-webhook-secret", body)).status()).isEqualTo(401);

        assertNothingRecorded(1);
    }

    @Test
    void truncatedSignature_isRejectedWith401_andNothingIsRecorded() throws Exception {
        String signature = Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, body);

        assertThat(post(signature.substring(0, signature.length() - 2)).status()).isEqualTo(401);
        assertThat(post(signature.substring(0, 32)).status()).isEqualTo(401);
        assertThat(post(signature + "00").status()).isEqualTo(401);

        assertNothingRecorded(3);
    }

    @Test
    void slackStyleSignatureOverTheRightBody_isRejectedWith401() throws Exception {
        String signature = "v0=" + Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, body);

        assertThat(post(signature).status()).isEqualTo(401);

        assertNothingRecorded(1);
    }

    @Test
    void validSignature_inUpperCaseHex_isAccepted() throws Exception {
        String signature = Signatures.planetScale(RunningCutover.WEBHOOK_SECRET, body).toUpperCase(java.util.Locale.ROOT);

        RunningCutover.HttpResult result = post(signature);

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).contains("\"accepted\"");
    }

    /** The rejected deliveries left no trace: the real one is new, and the rejections were counted as such. */
    private void assertNothingRecorded(int rejections) throws IOException {
        RunningCutover.HttpResult genuine = cutover.service().webhook(body);
        assertThat(genuine.status()).isEqualTo(200);
        assertThat(genuine.body()).contains("\"accepted\"").doesNotContain("duplicate");
        assertThat(cutover.service().get("/metrics").body())
                .contains("cutover_webhook_events_total{outcome=\"bad_signature\"} " + rejections + ".0");
    }

    private RunningCutover.HttpResult post(String signature) throws IOException {
        return cutover.service().post("/webhooks/planetscale", body,
                signature == null ? Map.of() : Map.of("X-PlanetScale-Signature", signature), JSON);
    }

    /** The API reference's {@code deploy_request.queued} example, for this bot's organization. */
    static byte[] queuedEvent() throws IOException {
        try (InputStream in = WebhookSignatureTest.class.getResourceAsStream(
                "/planetscale/webhook-deploy-request-queued.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.replace("\"organization\": \"acme\"", "\"organization\": \"" + RunningCutover.ORG + "\"")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
