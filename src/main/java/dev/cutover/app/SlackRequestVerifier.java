package dev.cutover.app;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature ({@code v0=} hex HMAC-SHA256 of {@code v0:<timestamp>:<raw body>}), checked over
 * the exact bytes received with a constant-time comparison. Bolt's own check hashes a re-joined string in the
 * platform charset (slack.md §1.4), which rejects non-ASCII bodies on JVMs without a UTF-8 default, and it
 * accepts timestamps from the future; this one does neither.
 */
final class SlackRequestVerifier {
    static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    static final String SIGNATURE_HEADER = "X-Slack-Signature";
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final SecretKeySpec key;
    private final Clock clock;

    SlackRequestVerifier(String signingSecret, Clock clock) {
        this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    boolean verify(String timestampHeader, String signatureHeader, byte[] body) {
        return check(timestampHeader, signatureHeader, body) == null;
    }

    /** Null when the request is Slack's; otherwise why not: {@code missing}, {@code stale} or {@code invalid}. */
    String check(String timestampHeader, String signatureHeader, byte[] body) {
        if (timestampHeader == null || signatureHeader == null) {
            return "missing";
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return "invalid";
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - timestamp) > MAX_SKEW.toSeconds()) {
            return "stale"; // replayed, or this machine's clock is off
        }
        byte[] expected = sign(timestamp, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signatureHeader.trim().getBytes(StandardCharsets.US_ASCII)) ? null
                : "invalid";
    }

    String sign(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
