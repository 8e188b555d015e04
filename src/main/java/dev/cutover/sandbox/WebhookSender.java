package dev.cutover.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts webhooks the way PlanetScale does (planetscale-api.md §7): the §7.4 envelope, signed with
 * {@code X-PlanetScale-Signature} (lowercase hex HMAC-SHA256 of the exact body bytes), a 2-second budget,
 * no redirects, and at most one attempt: a failed delivery is logged and dropped.
 */
final class WebhookSender implements AutoCloseable {
    /**
     * One webhook to send; {@code resource} is already rendered, so later changes do not leak into it.
     *
     * @param onlyWebhook the id of the one configured webhook it is for ({@code POST …/webhooks/{id}/test}), or
     *     null for every webhook of the database that wants the event
     */
    record Delivery(String event, String database, ObjectNode resource, Instant at, String onlyWebhook) {
        Delivery(String event, String database, ObjectNode resource, Instant at) {
            this(event, database, resource, at, null);
        }
    }

    /** How one delivery went, as {@code last_sent_result} / {@code last_sent_success} show it. */
    record Outcome(boolean success, String result) {}

    static final String SIGNATURE_HEADER = "X-PlanetScale-Signature";
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final String org;
    private volatile String url;
    private final byte[] secret;
    private final Executor executor;
    private final OkHttpClient client;

    /** @param url where to post, or null to send nothing */
    WebhookSender(String org, String url, String secret, Executor executor) {
        this.org = org;
        this.url = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.executor = executor;
        this.client = new OkHttpClient.Builder()
                .callTimeout(Duration.ofSeconds(2))
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
    }

    /** Points deliveries somewhere else (the bot learns its own port only once its server started). */
    void target(String newUrl) {
        this.url = newUrl;
    }

    /** Sends to the target set with {@link #target} (the dashboard's webhook, configured by hand). */
    void send(Delivery delivery) {
        String url = this.url;
        if (url == null || delivery.onlyWebhook() != null) {
            return;
        }
        byte[] body = body(delivery);
        executor.execute(() -> post(url, secret, delivery.event(), body));
    }

    /** Sends to one webhook configured through the API, with its own secret, and reports how it went. */
    void sendTo(Delivery delivery, String url, String webhookSecret, Consumer<Outcome> done) {
        byte[] body = body(delivery);
        byte[] key = webhookSecret.getBytes(StandardCharsets.UTF_8);
        executor.execute(() -> done.accept(post(url, key, delivery.event(), body)));
    }

    private byte[] body(Delivery delivery) {
        ObjectNode envelope = WireJson.MAPPER.createObjectNode();
        envelope.put("timestamp", delivery.at().getEpochSecond());
        envelope.put("event", delivery.event());
        envelope.put("organization", org);
        envelope.put("database", delivery.database());
        envelope.set("resource", delivery.resource());
        try {
            return WireJson.MAPPER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a webhook body", e);
        }
    }

    /** Lowercase hex HMAC-SHA256 of {@code body} with the webhook secret. */
    String sign(byte[] body) {
        return sign(secret, body);
    }

    private static String sign(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private Outcome post(String url, byte[] key, String event, byte[] body) {
        Request request;
        try {
            request = new Request.Builder()
                    .url(url)
                    .header(SIGNATURE_HEADER, sign(key, body))
                    .header("User-Agent", "PlanetScale-Webhook (cutover sandbox)")
                    .post(RequestBody.create(body, JSON))
                    .build();
        } catch (IllegalArgumentException e) {
            return new Outcome(false, "invalid URL");
        }
        try (Response response = client.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                log.warn("Sandbox webhook {} was answered {}; not retrying", event, response.code());
            }
            return new Outcome(response.isSuccessful(), response.code() + " " + response.message());
        } catch (IOException e) {
            log.warn("Sandbox webhook {} could not be delivered ({}); not retrying", event, e.toString());
            return new Outcome(false, e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
