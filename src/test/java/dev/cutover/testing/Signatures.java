package dev.cutover.testing;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs requests the way Slack and PlanetScale do, computed here independently of the code under test. */
public final class Signatures {
    private Signatures() {}

    /** Slack: {@code v0=} + hex HMAC-SHA256 of {@code v0:<timestamp>:<body>}. */
    public static String slack(String signingSecret, long timestampSeconds, byte[] body) {
        byte[] prefix = ("v0:" + timestampSeconds + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] base = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, base, 0, prefix.length);
        System.arraycopy(body, 0, base, prefix.length, body.length);
        return "v0=" + hmac(signingSecret, base);
    }

    /** PlanetScale: lowercase hex HMAC-SHA256 of the exact body. */
    public static String planetScale(String secret, byte[] body) {
        return hmac(secret, body);
    }

    private static String hmac(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
