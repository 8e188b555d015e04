package dev.cutover.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals tokens for the store with AES-256-GCM, so the database file alone reveals none. The key is {@code
 * CUTOVER_ENCRYPTION_KEY}: 32 random bytes in base64 ({@code openssl rand -base64 32}). A sealed value reads {@code
 * v1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>}; the key id (a hash of the key, not the key) says which key
 * sealed it, so during a rotation values sealed with a previous key ({@code CUTOVER_ENCRYPTION_KEY_PREVIOUS}) still
 * open and are sealed again with the current one. The context (whose token, which field) is authenticated data: a
 * sealed value copied into another user's row does not open. Thread-safe.
 */
public final class TokenCipher {
    /** Bytes of a key: AES-256. */
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String VERSION = "v1";

    private record Key(String id, SecretKeySpec spec, byte[] raw) {}

    private final Key current;
    private final List<Key> all;
    private final SecureRandom random = new SecureRandom();

    /** @param previous keys that may still open values (rotation); never used to seal */
    public TokenCipher(byte[] currentKey, List<byte[]> previous) {
        this.current = key(currentKey);
        List<Key> keys = new ArrayList<>();
        keys.add(current);
        previous.forEach(raw -> keys.add(key(raw)));
        this.all = List.copyOf(keys);
    }

    /** A key from its base64 text, or an exception saying what is wrong with it (never showing it). */
    public static byte[] parseKey(String text) {
        byte[] raw;
        try {
            String trimmed = text.strip();
            raw = trimmed.contains("-") || trimmed.contains("_") ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not base64 (make one with: openssl rand -base64 32)");
        }
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("must be " + KEY_BYTES + " bytes in base64, got " + raw.length
                    + " bytes (make one with: openssl rand -base64 32)");
        }
        return raw;
    }

    /** A fresh random key (the sandbox's ephemeral one). */
    public static byte[] randomKey() {
        byte[] raw = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(raw);
        return raw;
    }

    public String seal(String plain, String context) {
        Objects.requireNonNull(plain, "plain");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return VERSION + "." + current.id() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @throws SealedValueException when no configured key opens it (another key, tampered, another context) */
    public String open(String sealed, String context) throws SealedValueException {
        String[] parts = sealed.split("\\.", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw new SealedValueException("not a sealed value");
        }
        Key key = all.stream().filter(k -> k.id().equals(parts[1])).findFirst()
                .orElseThrow(() -> new SealedValueException("sealed with a key Cutover no longer has (key id "
                        + parts[1] + "): set it as CUTOVER_ENCRYPTION_KEY_PREVIOUS, or have the user link again"));
        try {
            byte[] in = Base64.getUrlDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SealedValueException("does not open with key " + key.id() + " (tampered or another row)");
        }
    }

    /** Whether the value was sealed with a previous key and should be sealed again. */
    public boolean isStale(String sealed) {
        String[] parts = sealed.split("\\.", 3);
        return parts.length == 3 && !parts[1].equals(current.id());
    }

    /** An HMAC-SHA256 key derived from the encryption key for {@code purpose} (login states), never the key itself. */
    byte[] derive(String purpose) {
        return hmac(current.raw(), purpose.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static Key key(byte[] raw) {
        if (raw == null || raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("an encryption key must be " + KEY_BYTES + " bytes");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            return new Key(HexFormat.of().formatHex(digest, 0, 4), new SecretKeySpec(raw, "AES"), raw.clone());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A sealed value that cannot be opened. */
    public static final class SealedValueException extends Exception {
        SealedValueException(String message) {
            super(message);
        }
    }
}
