package dev.cutover.config;

import dev.cutover.identity.TokenCipher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Linking Slack users to their PlanetScale accounts, and the audit record. OAuth is all-or-none: {@code
 * PLANETSCALE_OAUTH_APP_ID}, {@code PLANETSCALE_OAUTH_CLIENT_ID}, {@code PLANETSCALE_OAUTH_CLIENT_SECRET}, {@code
 * CUTOVER_ENCRYPTION_KEY} (and {@code CUTOVER_PUBLIC_URL}, for the callback) together, or none of them. In sandbox
 * mode the simulator's OAuth application is used and, without a key, an ephemeral one is generated (links then last
 * until the process stops).
 *
 * @param oauth empty when accounts cannot be linked (everyone acts through the service token)
 * @param auditLog {@code CUTOVER_AUDIT_LOG}: a JSON Lines file every audit entry is appended to
 * @param auditRetention {@code CUTOVER_AUDIT_RETENTION}: how long audit entries are kept (default 400 days)
 */
public record IdentityConfig(Optional<OAuth> oauth, Optional<Path> auditLog, Duration auditRetention) {
    public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(400);
    static final List<String> OAUTH_VARIABLES = List.of("PLANETSCALE_OAUTH_APP_ID", "PLANETSCALE_OAUTH_CLIENT_ID",
            "PLANETSCALE_OAUTH_CLIENT_SECRET", "CUTOVER_ENCRYPTION_KEY");

    /**
     * The OAuth application and the keys that seal tokens. Never printed.
     *
     * @param ephemeralKey the key was generated at start-up (sandbox): links do not survive a restart
     */
    public record OAuth(String applicationId, String clientId, String clientSecret, byte[] encryptionKey,
            List<byte[]> previousKeys, boolean ephemeralKey) {
        @Override
        public String toString() {
            return "OAuth[applicationId=" + applicationId + ", secrets=<redacted>]";
        }
    }

    public static IdentityConfig none() {
        return new IdentityConfig(Optional.empty(), Optional.empty(), DEFAULT_AUDIT_RETENTION);
    }

    static IdentityConfig read(Function<String, String> get, List<String> problems, boolean sandbox,
            boolean hasPublicUrl) {
        Optional<OAuth> oauth = oauth(get, problems, sandbox, hasPublicUrl);
        Optional<Path> auditLog = Optional.ofNullable(get.apply("CUTOVER_AUDIT_LOG")).map(Path::of);
        if (auditLog.isPresent()) {
            Path parent = auditLog.get().toAbsolutePath().getParent();
            if (Files.isDirectory(auditLog.get()) || parent == null || !Files.isDirectory(parent)
                    || !Files.isWritable(parent) && !Files.isWritable(auditLog.get())) {
                problems.add("CUTOVER_AUDIT_LOG must be a file path in a writable directory, got '"
                        + auditLog.get() + "'");
            }
        }
        Duration retention = Config.duration(get, problems, "CUTOVER_AUDIT_RETENTION", DEFAULT_AUDIT_RETENTION);
        return new IdentityConfig(oauth, auditLog, retention);
    }

    private static Optional<OAuth> oauth(Function<String, String> get, List<String> problems, boolean sandbox,
            boolean hasPublicUrl) {
        String appId = get.apply("PLANETSCALE_OAUTH_APP_ID");
        String clientId = get.apply("PLANETSCALE_OAUTH_CLIENT_ID");
        String clientSecret = get.apply("PLANETSCALE_OAUTH_CLIENT_SECRET");
        String keyText = get.apply("CUTOVER_ENCRYPTION_KEY");
        List<byte[]> previous = new ArrayList<>();
        String previousText = get.apply("CUTOVER_ENCRYPTION_KEY_PREVIOUS");
        if (previousText != null) {
            for (String part : previousText.split(",")) {
                if (!part.isBlank()) {
                    try {
                        previous.add(TokenCipher.parseKey(part));
                    } catch (IllegalArgumentException e) {
                        problems.add("CUTOVER_ENCRYPTION_KEY_PREVIOUS " + e.getMessage());
                    }
                }
            }
        }
        byte[] key = null;
        if (keyText != null) {
            try {
                key = TokenCipher.parseKey(keyText);
            } catch (IllegalArgumentException e) {
                problems.add("CUTOVER_ENCRYPTION_KEY " + e.getMessage());
            }
        }
        if (sandbox) {
            // The simulator has its own OAuth application; anything given is ignored, as with the service token.
            boolean ephemeral = keyText == null;
            return Optional.of(new OAuth("sandbox-app", "sandbox-client", "sandbox-client-secret",
                    ephemeral ? TokenCipher.randomKey() : key == null ? TokenCipher.randomKey() : key,
                    previous, ephemeral));
        }
        List<String> given = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String[] values = {appId, clientId, clientSecret, keyText};
        for (int i = 0; i < values.length; i++) {
            (values[i] == null ? missing : given).add(OAUTH_VARIABLES.get(i));
        }
        if (given.isEmpty()) {
            return Optional.empty();
        }
        if (!missing.isEmpty()) {
            for (String name : missing) {
                problems.add(name + " is not set: linking PlanetScale accounts needs all of "
                        + String.join(", ", OAUTH_VARIABLES) + " and CUTOVER_PUBLIC_URL (" + String.join(", ", given)
                        + " " + (given.size() == 1 ? "is" : "are") + " set), or none of them");
            }
            return Optional.empty();
        }
        if (!hasPublicUrl) {
            problems.add("CUTOVER_PUBLIC_URL is not set: linking PlanetScale accounts needs it for the OAuth callback"
                    + " (PlanetScale sends people back to CUTOVER_PUBLIC_URL/oauth/planetscale/callback)");
        }
        if (appId.length() > 64 || !appId.matches("[A-Za-z0-9_-]+")) {
            problems.add("PLANETSCALE_OAUTH_APP_ID must be the OAuth application's id (letters and digits), got '"
                    + appId + "'");
        }
        return key == null ? Optional.empty() : Optional.of(new OAuth(appId, clientId, clientSecret, key, previous,
                false));
    }
}
