package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeClock;
import dev.cutover.testing.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Slack's signature, checked over the exact bytes received and within five minutes of our clock. */
class SlackRequestVerifierTest {
    static final String SECRET = "verifier-test-secret";
    /** An Events API body with emoji and accents: its UTF-8 bytes are not ASCII. */
    static final byte[] EVENT_WITH_EMOJI = ("{\"token\":\"legacy\",\"team_id\":\"T0CUTOVER\",\"type\":\"event_callback\","
            + "\"event\":{\"type\":\"message\",\"text\":\"déploiement 🚀 fini ✅\",\"channel\":\"C0DEPLOYS\"}}")
            .getBytes(StandardCharsets.UTF_8);

    final FakeClock clock = new FakeClock();
    final SlackRequestVerifier verifier = new SlackRequestVerifier(SECRET, clock);
    final long now = clock.instant().getEpochSecond();

    @Test
    void nonAsciiBody_signedOverItsRawBytes_verifies() {
        byte[] throughAscii = new String(EVENT_WITH_EMOJI, StandardCharsets.US_ASCII).getBytes(StandardCharsets.US_ASCII);
        assertThat(throughAscii).as("a charset round trip would change these bytes").isNotEqualTo(EVENT_WITH_EMOJI);

        boolean verified = verifier.verify(Long.toString(now), Signatures.slack(SECRET, now, EVENT_WITH_EMOJI),
                EVENT_WITH_EMOJI);

        assertThat(verified).isTrue();
    }

    @Test
    void nonAsciiBody_decodedAndReEncodedInAnotherCharset_doesNotVerify() {
        // What a verifier hashing re-joined Strings in a US-ASCII platform charset would compare against.
        byte[] throughAscii = new String(EVENT_WITH_EMOJI, StandardCharsets.US_ASCII).getBytes(StandardCharsets.US_ASCII);

        boolean verified = verifier.verify(Long.toString(now), Signatures.slack(SECRET, now, EVENT_WITH_EMOJI),
                throughAscii);

        assertThat(verified).isFalse();
    }

    @Test
    void trailingNewline_signedIncludingIt_verifies() {
        byte[] body = "token=legacy&command=%2Fpscale&text=list\n".getBytes(StandardCharsets.US_ASCII);

        boolean verified = verifier.verify(Long.toString(now), Signatures.slack(SECRET, now, body), body);

        assertThat(verified).isTrue();
    }

    @Test
    void trailingNewline_droppedBeforeVerifying_doesNotVerify() {
        byte[] signed = "token=legacy&command=%2Fpscale&text=list\n".getBytes(StandardCharsets.US_ASCII);
        byte[] stripped = "token=legacy&command=%2Fpscale&text=list".getBytes(StandardCharsets.US_ASCII);

        assertThat(verifier.verify(Long.toString(now), Signatures.slack(SECRET, now, signed), stripped)).isFalse();
    }

    @Test
    void timestampFiveMinutesOld_isAccepted_butOneSecondMoreIsNot() {
        byte[] body = "text=list".getBytes(StandardCharsets.US_ASCII);
        long edge = now - SlackRequestVerifier.MAX_SKEW.toSeconds();

        assertThat(verifier.verify(Long.toString(edge), Signatures.slack(SECRET, edge, body), body)).isTrue();
        assertThat(verifier.verify(Long.toString(edge - 1), Signatures.slack(SECRET, edge - 1, body), body)).isFalse();
    }

    @Test
    void timestampFromTheFarFuture_isRejectedEvenWhenCorrectlySigned() {
        byte[] body = "text=list".getBytes(StandardCharsets.US_ASCII);
        long future = clock.instant().plus(Duration.ofHours(1)).getEpochSecond();

        assertThat(verifier.verify(Long.toString(future), Signatures.slack(SECRET, future, body), body)).isFalse();
    }

    @Test
    void signatureWithAnotherSecret_isRejected() {
        byte[] body = "text=list".getBytes(StandardCharsets.US_ASCII);

        assertThat(verifier.verify(Long.toString(now), Signatures.slack("another-secret", now, body), body)).isFalse();
    }

    @Test
    void missingOrUnreadableHeaders_areRejected() {
        byte[] body = "text=list".getBytes(StandardCharsets.US_ASCII);
        String signature = Signatures.slack(SECRET, now, body);

        assertThat(verifier.verify(null, signature, body)).isFalse();
        assertThat(verifier.verify(Long.toString(now), null, body)).isFalse();
        assertThat(verifier.verify("yesterday", signature, body)).isFalse();
        assertThat(verifier.verify(Long.toString(now), signature.substring(0, signature.length() - 1), body)).isFalse();
        assertThat(verifier.verify(Long.toString(now), "", body)).isFalse();
    }
}
