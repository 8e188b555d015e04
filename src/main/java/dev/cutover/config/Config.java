package dev.cutover.config;

import dev.cutover.deploy.DeployRef;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything Cutover is told by its environment. Secrets are held here and nowhere else, and
 * {@link #toString()} never prints them.
 *
 * @param planetScaleApiUrl base URL ending in {@code /v1}, without a trailing slash
 * @param slackApiUrl Web API prefix, always ending in {@code /} (the SDK appends the method name)
 * @param sandbox run against the in-process PlanetScale simulator instead of the real API
 * @param slackSigningSecret checks requests to {@code /slack/events}; optional in Socket Mode, where Slack reaches
 *     us over our own connection and {@code /slack/events} then rejects everything
 * @param slackAppToken an app-level token ({@code xapp-}): Cutover then connects to Slack over Socket Mode
 * @param sandboxSpeed how much faster than PlanetScale the simulator's lifecycle runs (1 is real time)
 * @param planetScaleWebhookSecret empty in polling mode: no webhooks, reconciliation alone
 * @param reconcilePeriod time between reconciliation passes ({@code CUTOVER_RECONCILE_SECONDS})
 * @param publicUrl where PlanetScale reaches Cutover ({@code CUTOVER_PUBLIC_URL}, no trailing slash), for webhooks
 *     Cutover creates itself
 * @param adminChannel where webhook trouble is reported ({@code CUTOVER_ADMIN_CHANNEL})
 * @param webhookAutoReenable re-enable a webhook PlanetScale disabled without asking
 *     ({@code CUTOVER_WEBHOOK_AUTO_REENABLE})
 * @param eventRetention how long finished events (and so their dedupe keys) are kept
 * @param slackTeamIds the Slack workspaces (team ids) that may use the bot; empty means any
 * @param metricsToken the bearer token {@code /metrics} requires; without it only loopback may read metrics
 * @param identity linking PlanetScale accounts (OAuth) and the audit record
 * @param database the shared PostgreSQL store ({@code CUTOVER_DATABASE_URL}); empty: SQLite in {@code dataDir}
 * @param leasePeriod how long a replica's leadership (and its claim on an outbox event) outlives it
 *     ({@code CUTOVER_LEASE_SECONDS}); only used with {@code database}
 */
public record Config(
        String slackBotToken,
        Optional<String> slackSigningSecret,
        String slackApiUrl,
        Optional<String> slackAppToken,
        String planetScaleOrg,
        String planetScaleServiceTokenId,
        String planetScaleServiceToken,
        String planetScaleApiUrl,
        Optional<String> planetScaleWebhookSecret,
        int port,
        Path dataDir,
        Optional<String> defaultChannel,
        Optional<Path> policyFile,
        boolean sandbox,
        double sandboxSpeed,
        Duration reconcilePeriod,
        Optional<String> publicUrl,
        Optional<String> adminChannel,
        boolean webhookAutoReenable,
        Duration eventRetention,
        Set<String> slackTeamIds,
        Optional<String> metricsToken,
        IdentityConfig identity,
        Optional<DatabaseUrl> database,
        Duration leasePeriod) {

    public static final String DEFAULT_SLACK_API_URL = "https://slack.com/api/";
    public static final String DEFAULT_PLANETSCALE_API_URL = "https://api.planetscale.com/v1";
    /** The simulated organization in sandbox mode. */
    public static final String SANDBOX_ORG = "sandbox-org";
    /**
     * The sandbox runs 10× faster than PlanetScale by default: the 30-minute revert window lasts 3 minutes and its
     * reminder comes 30 s before it closes, so a whole lifecycle fits in about five minutes.
     */
    public static final double DEFAULT_SANDBOX_SPEED = 10;
    /** How long leadership and outbox claims outlive a replica that stopped renewing them (CUTOVER_LEASE_SECONDS). */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
    static final double MAX_SANDBOX_SPEED = 600;
    /** Reconciliation behind webhooks: a safety net, so once a minute is enough. */
    public static final Duration RECONCILE_WITH_WEBHOOKS = Duration.ofSeconds(60);
    /** Polling mode (no webhook secret): reconciliation is the only path, so it runs four times as often. */
    public static final Duration RECONCILE_POLLING = Duration.ofSeconds(15);
    public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofDays(7);
    static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");

    /** Reads and validates the environment; throws listing every problem at once. */
    public static Config fromEnvironment(Map<String, String> env, boolean sandboxFlag) {
        Function<String, String> get = name -> {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value.trim();
        };
        List<String> problems = new ArrayList<>();
        String sandboxText = get.apply("CUTOVER_SANDBOX");
        if (sandboxText != null && !sandboxText.equalsIgnoreCase("true") && !sandboxText.equalsIgnoreCase("false")) {
            problems.add("CUTOVER_SANDBOX must be true or false (or unset), got '" + sandboxText + "'");
        }
        boolean sandbox = sandboxFlag || "true".equalsIgnoreCase(sandboxText);
        // Read by logback itself (logback.xml); checked here because logback turns anything it cannot read into DEBUG.
        String logLevel = get.apply("CUTOVER_LOG_LEVEL");
        if (logLevel != null && !LOG_LEVELS.contains(logLevel.toUpperCase(Locale.ROOT))) {
            problems.add("CUTOVER_LOG_LEVEL must be one of " + String.join(", ", LOG_LEVELS) + ", got '" + logLevel
                    + "'");
        }

        String botToken = required(get, problems, "SLACK_BOT_TOKEN", "the bot token from the Slack app (xoxb-...)");
        if (botToken != null && !botToken.startsWith("xoxb-")) {
            problems.add("SLACK_BOT_TOKEN must be a bot token starting with xoxb-");
        }
        String appToken = get.apply("SLACK_APP_TOKEN");
        if (appToken != null && !appToken.startsWith("xapp-")) {
            problems.add("SLACK_APP_TOKEN must be an app-level token starting with xapp- (or be unset)");
        }
        String signingSecret = appToken != null ? get.apply("SLACK_SIGNING_SECRET")
                : required(get, problems, "SLACK_SIGNING_SECRET", "the signing secret from the Slack app's Basic"
                        + " Information page (or set SLACK_APP_TOKEN to use Socket Mode, which needs none)");
        String slackApiUrl = url(get, problems, "SLACK_API_URL", DEFAULT_SLACK_API_URL);
        if (slackApiUrl != null && !slackApiUrl.endsWith("/")) {
            slackApiUrl = slackApiUrl + "/";
        }

        String org;
        String tokenId;
        String token;
        String webhookSecret;
        String apiUrl;
        if (sandbox) {
            // The simulator needs no credentials; anything given is ignored so a real token is never sent to it.
            org = Optional.ofNullable(get.apply("PLANETSCALE_ORG")).orElse(SANDBOX_ORG);
            tokenId = "sandbox";
            token = "sandbox";
            webhookSecret = Optional.ofNullable(get.apply("PLANETSCALE_WEBHOOK_SECRET")).orElse("sandbox-webhook-secret");
            apiUrl = null;
        } else {
            org = required(get, problems, "PLANETSCALE_ORG", "the PlanetScale organization name");
            if (org != null && !DeployRef.isValidName(org)) {
                problems.add("PLANETSCALE_ORG must be an organization name (letters, digits, - and _), got '" + org + "'");
            }
            tokenId = required(get, problems, "PLANETSCALE_SERVICE_TOKEN_ID", "the service token's id");
            token = required(get, problems, "PLANETSCALE_SERVICE_TOKEN", "the service token itself (pscale_tkn_...)");
            // Optional: without it Cutover runs in polling mode (reconciliation alone, no inbound webhook).
            webhookSecret = get.apply("PLANETSCALE_WEBHOOK_SECRET");
            apiUrl = url(get, problems, "PLANETSCALE_API_URL", DEFAULT_PLANETSCALE_API_URL);
            if (apiUrl != null && apiUrl.endsWith("/")) {
                apiUrl = apiUrl.substring(0, apiUrl.length() - 1);
            }
        }

        int port = 3000;
        String portText = get.apply("PORT");
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
                if (port < 0 || port > 65535) {
                    problems.add("PORT must be a TCP port from 0 to 65535, got " + portText);
                }
            } catch (NumberFormatException e) {
                problems.add("PORT must be a number (a TCP port), got '" + portText + "'");
            }
        }
        Path dataDir = Path.of(Optional.ofNullable(get.apply("CUTOVER_DATA_DIR")).orElse("./data"));

        String channel = get.apply("CUTOVER_DEFAULT_CHANNEL");
        if (channel != null && !channel.matches("[CGD][A-Z0-9]{2,}")) {
            problems.add("CUTOVER_DEFAULT_CHANNEL must be a Slack channel ID such as C0123456789"
                    + " (open the channel's details to copy it), got '" + channel + "'");
        }
        Optional<Path> policy = Optional.ofNullable(get.apply("CUTOVER_POLICY_FILE")).map(Path::of);
        if (policy.isPresent() && !policy.get().toFile().isFile()) {
            problems.add("CUTOVER_POLICY_FILE points at " + policy.get() + ", which is not a readable file");
        }

        double speed = DEFAULT_SANDBOX_SPEED;
        String speedText = get.apply("CUTOVER_SANDBOX_SPEED");
        if (speedText != null) {
            try {
                speed = Double.parseDouble(speedText);
            } catch (NumberFormatException e) {
                speed = Double.NaN;
            }
            if (!(speed >= 1 && speed <= MAX_SANDBOX_SPEED)) {
                problems.add("CUTOVER_SANDBOX_SPEED must be a number from 1 (real time) to " + (int) MAX_SANDBOX_SPEED
                        + ", got '" + speedText + "'");
            }
        }

        Duration reconcilePeriod = webhookSecret == null ? RECONCILE_POLLING : RECONCILE_WITH_WEBHOOKS;
        String reconcileText = get.apply("CUTOVER_RECONCILE_SECONDS");
        if (reconcileText != null) {
            try {
                int seconds = Integer.parseInt(reconcileText);
                if (seconds < 5 || seconds > 3600) {
                    problems.add("CUTOVER_RECONCILE_SECONDS must be from 5 to 3600 seconds, got " + reconcileText);
                }
                reconcilePeriod = Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                problems.add("CUTOVER_RECONCILE_SECONDS must be a whole number of seconds, got '" + reconcileText
                        + "'");
            }
        }

        String publicUrl = get.apply("CUTOVER_PUBLIC_URL") == null ? null
                : url(get, problems, "CUTOVER_PUBLIC_URL", null);
        if (publicUrl != null && publicUrl.endsWith("/")) {
            publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        }
        String adminChannel = get.apply("CUTOVER_ADMIN_CHANNEL");
        if (adminChannel != null && !adminChannel.matches("[CGD][A-Z0-9]{2,}")) {
            problems.add("CUTOVER_ADMIN_CHANNEL must be a Slack channel ID such as C0123456789, got '" + adminChannel
                    + "'");
        }
        String reenable = Optional.ofNullable(get.apply("CUTOVER_WEBHOOK_AUTO_REENABLE")).orElse("false");
        if (!reenable.equalsIgnoreCase("true") && !reenable.equalsIgnoreCase("false")) {
            problems.add("CUTOVER_WEBHOOK_AUTO_REENABLE must be true or false, got '" + reenable + "'");
        }

        Duration retention = duration(get, problems, "CUTOVER_EVENT_RETENTION", DEFAULT_EVENT_RETENTION);
        String metricsToken = get.apply("CUTOVER_METRICS_TOKEN");
        if (metricsToken != null && metricsToken.length() < 16) {
            problems.add("CUTOVER_METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 24)");
        }
        Set<String> teams = new TreeSet<>();
        String teamText = get.apply("SLACK_TEAM_ID");
        if (teamText != null) {
            for (String team : teamText.split(",")) {
                if (team.isBlank()) {
                    continue;
                }
                if (team.trim().matches("[TE][A-Z0-9]{2,}")) {
                    teams.add(team.trim());
                } else {
                    problems.add("SLACK_TEAM_ID must be Slack team ids such as T0123456789, separated by commas"
                            + " (the workspace's id is in its URL, app.slack.com/client/T…), got '" + team.trim() + "'");
                }
            }
        }

        IdentityConfig identity = IdentityConfig.read(get, problems, sandbox, publicUrl != null);
        Optional<DatabaseUrl> database = Optional.empty();
        String databaseUrl = get.apply("CUTOVER_DATABASE_URL");
        if (databaseUrl != null) {
            try {
                database = Optional.of(DatabaseUrl.parse(databaseUrl, Optional.ofNullable(get.apply(
                        "CUTOVER_DATABASE_USER")), Optional.ofNullable(get.apply("CUTOVER_DATABASE_PASSWORD"))));
            } catch (IllegalArgumentException e) {
                // Never echo the value: it may carry the password.
                problems.add("CUTOVER_DATABASE_URL " + e.getMessage());
            }
        }
        Duration leasePeriod = DEFAULT_LEASE;
        String leaseText = get.apply("CUTOVER_LEASE_SECONDS");
        if (leaseText != null) {
            try {
                long seconds = Long.parseLong(leaseText);
                if (seconds < 1 || seconds > 300) {
                    problems.add("CUTOVER_LEASE_SECONDS must be from 1 to 300, got " + leaseText);
                } else {
                    leasePeriod = Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                problems.add("CUTOVER_LEASE_SECONDS must be a whole number of seconds, got '" + leaseText + "'");
            }
        }

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(botToken, Optional.ofNullable(signingSecret), slackApiUrl, Optional.ofNullable(appToken), org,
                tokenId, token, apiUrl, Optional.ofNullable(webhookSecret), port, dataDir, Optional.ofNullable(channel),
                policy, sandbox, speed, reconcilePeriod, Optional.ofNullable(publicUrl), Optional.ofNullable(adminChannel),
                reenable.equalsIgnoreCase("true"), retention, Set.copyOf(teams), Optional.ofNullable(metricsToken),
                identity, database, leasePeriod);
    }

    /** A copy pointing the PlanetScale client somewhere else (the sandbox's loopback address). */
    public Config withPlanetScaleApiUrl(String url) {
        return new Config(slackBotToken, slackSigningSecret, slackApiUrl, slackAppToken, planetScaleOrg,
                planetScaleServiceTokenId, planetScaleServiceToken, url, planetScaleWebhookSecret, port, dataDir,
                defaultChannel, policyFile, sandbox, sandboxSpeed, reconcilePeriod, publicUrl, adminChannel, webhookAutoReenable,
                eventRetention, slackTeamIds, metricsToken, identity, database, leasePeriod);
    }

    private static String required(Function<String, String> get, List<String> problems, String name, String what) {
        String value = get.apply(name);
        if (value == null) {
            problems.add(name + " is not set: " + what);
        }
        return value;
    }

    /** A positive whole number and one unit: {@code 30s}, {@code 15m}, {@code 12h}, {@code 7d}. */
    static Duration duration(Function<String, String> get, List<String> problems, String name,
            Duration fallback) {
        String value = get.apply(name);
        if (value == null) {
            return fallback;
        }
        Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            problems.add(name + " must be a positive duration such as 7d, 12h, 15m or 30s, got '" + value + "'");
            return fallback;
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static String url(Function<String, String> get, List<String> problems, String name, String fallback) {
        String value = Optional.ofNullable(get.apply(name)).orElse(fallback);
        try {
            URI uri = URI.create(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                problems.add(name + " must be an http(s) URL, got '" + value + "'");
                return null;
            }
            return value;
        } catch (IllegalArgumentException e) {
            problems.add(name + " must be an http(s) URL, got '" + value + "'");
            return null;
        }
    }

    @Override
    public String toString() {
        return "Config[org=" + planetScaleOrg + ", planetScaleApiUrl=" + planetScaleApiUrl + ", slackApiUrl="
                + slackApiUrl + ", port=" + port + ", dataDir=" + dataDir + ", defaultChannel="
                + defaultChannel.orElse("-") + ", policyFile=" + policyFile.map(Path::toString).orElse("-")
                + ", sandbox=" + (sandbox ? "on at " + sandboxSpeed + "x" : "off") + ", slack="
                + (slackAppToken.isPresent() ? "socket mode" : "http") + ", webhooks=" + (planetScaleWebhookSecret.isPresent() ? "on" : "off (polling)")
                + ", reconcileEvery=" + reconcilePeriod.toSeconds() + "s, publicUrl=" + publicUrl.orElse("-")
                + ", adminChannel=" + adminChannel.orElse("-") + ", webhookAutoReenable=" + webhookAutoReenable
                + ", eventRetention=" + eventRetention + ", slackTeamIds="
                + (slackTeamIds.isEmpty() ? "any" : String.join(",", new TreeSet<>(slackTeamIds))) + ", linkAccounts="
                + (identity.oauth().isPresent() ? "on" : "off") + ", auditLog="
                + identity.auditLog().map(Path::toString).orElse("-") + ", auditRetention=" + identity.auditRetention()
                + ", store=" + database.map(url -> "postgresql " + url.safeUrl() + " (lease " + leasePeriod.toSeconds()
                        + "s)").orElse("sqlite") + ", secrets=<redacted>]";
    }
}
