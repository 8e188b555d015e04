package dev.cutover.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCipherTest {
    static final byte[] OLD = TokenCipher.randomKey();
    static final byte[] NEW = TokenCipher.randomKey();

    @Test
    void sealedValue_opensWithItsKeyAndContext_andShowsNothingOfThePlainText() throws Exception {
        TokenCipher cipher = new TokenCipher(NEW, List.of());

        String sealed = cipher.seal("pscale_oauth_secret", "row-1|token");

        assertThat(sealed).startsWith("v1.").doesNotContain("pscale_oauth_secret");
        assertThat(cipher.open(sealed, "row-1|token")).isEqualTo("pscale_oauth_secret");
        assertThat(cipher.seal("pscale_oauth_secret", "row-1|token")).isNotEqualTo(sealed); // fresh nonce each time
    }

    @Test
    void sealedValue_movedToAnotherRow_doesNotOpen() {
        TokenCipher cipher = new TokenCipher(NEW, List.of());
        String sealed = cipher.seal("secret", "row-1|token");

        assertThatThrownBy(() -> cipher.open(sealed, "row-2|token")).isInstanceOf(TokenCipher.SealedValueException.class);
    }

    @Test
    void withoutTheKey_nothingOpens() {
        String sealed = new TokenCipher(OLD, List.of()).seal("secret", "ctx");

        assertThatThrownBy(() -> new TokenCipher(NEW, List.of()).open(sealed, "ctx"))
                .isInstanceOf(TokenCipher.SealedValueException.class)
                .hasMessageContaining("CUTOVER_ENCRYPTION_KEY_PREVIOUS");
    }

    @Test
    void duringRotation_thePreviousKeyOpens_andTheValueIsStale() throws Exception {
        String sealed = new TokenCipher(OLD, List.of()).seal("secret", "ctx");
        TokenCipher rotated = new TokenCipher(NEW, List.of(OLD));

        assertThat(rotated.open(sealed, "ctx")).isEqualTo("secret");
        assertThat(rotated.isStale(sealed)).isTrue();
        assertThat(rotated.isStale(rotated.seal("secret", "ctx"))).isFalse();
    }

    @Test
    void tamperedValue_doesNotOpen() {
        TokenCipher cipher = new TokenCipher(NEW, List.of());
        String sealed = cipher.seal("secret", "ctx");
        char last = sealed.charAt(sealed.length() - 2);
        String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);

        assertThatThrownBy(() -> cipher.open(tampered, "ctx")).isInstanceOf(TokenCipher.SealedValueException.class);
    }

    @Test
    void keys_mustBe32BytesOfBase64() {
        assertThat(TokenCipher.parseKey(Base64.getEncoder().encodeToString(NEW))).isEqualTo(NEW);
        assertThatThrownBy(() -> TokenCipher.parseKey("c2hvcnQ=")).hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> TokenCipher.parseKey("not base64!")).hasMessageContaining("is not base64");
    }
}
