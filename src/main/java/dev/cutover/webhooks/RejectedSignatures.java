package dev.cutover.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests turned away for their signature, counted ({@code cutover_signature_rejected_total{source, reason}}) and
 * logged at WARN at most once per interval with what to check. A wrong secret is the most common install mistake,
 * and it used to leave nothing in the log; but every forged request on the internet must not become a log line
 * either, hence the rate limit (the count of the ones not logged goes into the next line).
 */
public final class RejectedSignatures {
    /** How often a WARN may be written, per source. */
    public static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(RejectedSignatures.class);

    private final String source;
    private final String hint;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private Instant lastWarning;
    private long unreported;

    /**
     * @param source the metric's {@code source} tag and the log's subject, e.g. {@code slack}
     * @param hint what an operator should check, e.g. "check SLACK_SIGNING_SECRET"
     */
    public RejectedSignatures(String source, String hint, Clock clock, MeterRegistry registry) {
        this.source = source;
        this.hint = hint;
        this.clock = clock;
        this.registry = registry;
    }

    /** Records one rejection; {@code reason} is a short word ({@code missing}, {@code invalid}, {@code stale}). */
    public void reject(String reason) {
        counters.computeIfAbsent(reason, name -> Counter.builder("cutover.signature.rejected")
                .description("requests rejected for their signature").tag("source", source).tag("reason", name)
                .register(registry)).increment();
        long count;
        synchronized (this) {
            Instant now = clock.instant();
            unreported++;
            if (lastWarning != null && now.isBefore(lastWarning.plus(INTERVAL))) {
                return;
            }
            lastWarning = now;
            count = unreported;
            unreported = 0;
        }
        log.warn("Rejected {} {} request(s) for their signature since the last report (latest: {}) — {}", count,
                source, reason, hint);
    }
}
