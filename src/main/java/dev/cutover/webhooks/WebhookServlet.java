package dev.cutover.webhooks;

import dev.cutover.deploy.EventType;
import dev.cutover.planetscale.MalformedWebhookException;
import dev.cutover.planetscale.WebhookEnvelope;
import dev.cutover.planetscale.WebhookParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/planetscale}. Order matters: size limit, then signature over the exact bytes, then
 * parsing, then the durable record, then 2xx. Events of another organization and unknown event names are
 * acknowledged and ignored, so PlanetScale never disables the webhook because of our choices.
 */
public final class WebhookServlet extends HttpServlet {
    /** PlanetScale payloads are a few KiB; anything near this is not ours. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(WebhookServlet.class);

    private final transient WebhookSecrets secrets;
    private final long pollingSeconds;
    private final transient RejectedSignatures rejected;
    private final String organization;
    private final transient EventRecorder recorder;
    private final transient MeterRegistry registry;
    private final transient Timer intakeTimer;
    private final transient ConcurrentHashMap<String, Counter> counters =
            new ConcurrentHashMap<>();

    /**
     * @param secrets the keys webhooks may be signed with; while there are none (polling mode), every request is
     *     answered 404 {@code not_configured}
     * @param pollingSeconds how often reconciliation runs, for that answer
     */
    public WebhookServlet(WebhookSecrets secrets, String organization, EventRecorder recorder,
            MeterRegistry registry, RejectedSignatures rejected, long pollingSeconds) {
        this.secrets = secrets;
        this.pollingSeconds = pollingSeconds;
        this.rejected = rejected;
        this.organization = organization;
        this.recorder = recorder;
        this.registry = registry;
        // Milliseconds: one HMAC, one streaming read of the envelope and a group-committed SQLite insert.
        this.intakeTimer = Timer.builder("cutover.webhook.intake").description("time to verify, parse and record a webhook")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofSeconds(1))
                .register(registry);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        try {
            handle(request, response);
        } finally {
            intakeTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (secrets.isEmpty()) {
            // Polling mode: a clear "not here" rather than a 401 PlanetScale would count as our failure to verify.
            answer(response, 404, "not_configured", "webhooks are not configured (PLANETSCALE_WEBHOOK_SECRET is unset);"
                    + " Cutover polls PlanetScale every " + pollingSeconds + " s");
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            reject(response, 413, "too_large", "body over 1 MiB");
            return;
        }
        byte[] body = BoundedBody.read(request.getInputStream(), MAX_BODY_BYTES);
        if (body == null) {
            reject(response, 413, "too_large", "body over 1 MiB");
            return;
        }
        String header = request.getHeader(WebhookSignature.HEADER);
        if (!secrets.verify(body, header)) {
            rejected.reject(header == null || header.isBlank() ? "missing" : "invalid");
            reject(response, 401, "bad_signature", "missing or invalid " + WebhookSignature.HEADER);
            return;
        }
        WebhookEnvelope event;
        try {
            event = WebhookParser.envelope(body, organization);
        } catch (MalformedWebhookException e) {
            reject(response, 400, "malformed", e.getMessage());
            return;
        }
        if (event.isReconciledDeployRequest()) {
            // Only Cutover's own reconciler writes these, straight into the journal; a webhook claiming to be one
            // is not PlanetScale's.
            answer(response, 200, "ignored", "not a PlanetScale event");
            return;
        }
        if (event.type() == EventType.UNKNOWN) {
            // Logged once per name by EventType.fromWire; counted here, every time.
            answer(response, 200, "ignored", "unknown event");
            return;
        }
        if (!event.organization().isEmpty() && !event.organization().equalsIgnoreCase(organization)) {
            log.info("Ignoring webhook '{}' of organization '{}' (this bot serves '{}')", event.name(),
                    event.organization(), organization);
            answer(response, 200, "ignored", "other organization");
            return;
        }
        EventRecorder.Outcome outcome;
        try {
            outcome = recorder.record(event);
        } catch (RuntimeException e) {
            // Not stored means not acknowledged: PlanetScale (or the sender) must try again.
            // The store logs why (once a minute, with its path); a line per refused webhook would flood the log.
            log.debug("Could not record webhook '{}' for {}: {}", event.name(), event.database(), e.toString());
            count("store_failed");
            answer(response, 503, "unavailable", "could not store the event; try again");
            return;
        }
        if (outcome == EventRecorder.Outcome.DUPLICATE) {
            answer(response, 200, "duplicate", "already received");
        } else {
            answer(response, 200, "accepted", "recorded");
        }
    }

    private void reject(HttpServletResponse response, int status, String outcome, String why) throws IOException {
        answer(response, status, outcome, why);
    }

    private void answer(HttpServletResponse response, int status, String outcome, String message) throws IOException {
        count(outcome);
        response.setStatus(status);
        response.setContentType("application/json");
        byte[] json = ("{\"status\":\"" + outcome + "\",\"message\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    /** Each outcome's counter is registered once: this runs for every webhook, thousands a second at peak. */
    private void count(String outcome) {
        counters.computeIfAbsent(outcome, name -> Counter.builder("cutover.webhook.events")
                .description("webhook deliveries by outcome").tag("outcome", name).register(registry)).increment();
    }
}
