package dev.cutover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the environment: every problem named at once, and secrets never printed. */
class ConfigTest {
    static final String BOT_TOKEN = "xoxb-1111-2222-secretbottoken";
    static final String SIGNING_SECRET = "signing-secret-0123456789abcdef";
    static final String APP_TOKEN = "xapp-1-secret-app-token";
    static final String TOKEN_ID = "tokenid-secret-42";
    static final String TOKEN = "pscale_tkn_secretsecretsecret";
    static final String WEBHOOK_SECRET = "webhook-secret-9876543210";

    @Test
    void toString_neverContainsAnySecret() {
        Config config = Config.fromEnvironment(complete(), false);

        String text = config.toString();

        assertThat(text).doesNotContain(BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, TOKEN_ID, TOKEN, WEBHOOK_SECRET)
                .doesNotContain("xoxb-", "pscale_tkn_")
                .contains("org=acme", "port=3000");
    }

    @Test
    void toString_withTheSandboxUrlSwappedIn_stillContainsNoSecret() {
        Config config = Config.fromEnvironment(complete(), false).withPlanetScaleApiUrl("http://127.0.0.1:1/v1");

        assertThat(config.toString()).doesNotContain(BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, TOKEN_ID, TOKEN,
                WEBHOOK_SECRET);
    }

    @Test
    void everyProblem_isReportedAtOnce_namingTheVariable() {
        Map<String, String> env = complete();
        env.remove("SLACK_SIGNING_SECRET");
        env.remove("SLACK_APP_TOKEN");
        env.put("PORT", "-1");
        env.put("SLACK_BOT_TOKEN", "xoxp-user-token");
        env.put("CUTOVER_DEFAULT_CHANNEL", "deploys");
        env.put("PLANETSCALE_API_URL", "ftp://api.example/v1");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.problems()).hasSize(5);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("SLACK_SIGNING_SECRET is not set"))
                .anySatisfy(p -> assertThat(p).startsWith("PORT must be a TCP port"))
                .anySatisfy(p -> assertThat(p).startsWith("SLACK_BOT_TOKEN must be a bot token starting with xoxb-"))
                .anySatisfy(p -> assertThat(p).startsWith("CUTOVER_DEFAULT_CHANNEL must be a Slack channel ID"))
                .anySatisfy(p -> assertThat(p).startsWith("PLANETSCALE_API_URL must be an http(s) URL"));
    }

    @Test
    void sandboxSpeed_defaultsToTen_andMustBeANumberFromOne() {
        assertThat(Config.fromEnvironment(complete(), true).sandboxSpeed()).isEqualTo(10.0);
        Map<String, String> env = complete();
        env.put("CUTOVER_SANDBOX_SPEED", "60");
        assertThat(Config.fromEnvironment(env, true).sandboxSpeed()).isEqualTo(60.0);

        for (String bad : new String[] {"0.5", "fast", "0", "100000"}) {
            env.put("CUTOVER_SANDBOX_SPEED", bad);
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, true));
            assertThat(e.problems()).singleElement().asString().startsWith("CUTOVER_SANDBOX_SPEED must be a number");
        }
    }

    @Test
    void socketMode_needsNoSigningSecret() {
        Map<String, String> env = complete();
        env.remove("SLACK_SIGNING_SECRET");

        Config config = Config.fromEnvironment(env, false);

        assertThat(config.slackAppToken()).contains(APP_TOKEN);
        assertThat(config.slackSigningSecret()).isEmpty();
        assertThat(config.toString()).contains("slack=socket mode");
    }

    @Test
    void wrongKindOfToken_isNamedWithoutEchoingTheToken() {
        Map<String, String> env = complete();
        env.put("SLACK_BOT_TOKEN", "xoxp-user-token-secret");
        env.put("SLACK_APP_TOKEN", "xoxb-bot-token-in-the-wrong-place");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.getMessage()).contains("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
                .doesNotContain("xoxp-user-token-secret", "xoxb-bot-token-in-the-wrong-place");
    }

    @Test
    void sandbox_ignoresRealPlanetScaleCredentials() {
        Config config = Config.fromEnvironment(complete(), true);

        assertThat(config.planetScaleServiceToken()).isNotEqualTo(TOKEN);
        assertThat(config.planetScaleServiceTokenId()).isNotEqualTo(TOKEN_ID);
        assertThat(config.planetScaleApiUrl()).isNull();
    }

    @Test
    void urls_areNormalised() {
        Map<String, String> env = complete();
        env.put("SLACK_API_URL", "http://127.0.0.1:9/api");
        env.put("PLANETSCALE_API_URL", "http://127.0.0.1:9/v1/");

        Config config = Config.fromEnvironment(env, false);

        assertThat(config.slackApiUrl()).isEqualTo("http://127.0.0.1:9/api/");
        assertThat(config.planetScaleApiUrl()).isEqualTo("http://127.0.0.1:9/v1");
    }

    @Test
    void withoutWebhookSecret_pollsEvery15Seconds() {
        Map<String, String> env = complete();
        env.remove("PLANETSCALE_WEBHOOK_SECRET");

        Config config = Config.fromEnvironment(env, false);

        assertThat(config.planetScaleWebhookSecret()).isEmpty();
        assertThat(config.reconcilePeriod()).isEqualTo(java.time.Duration.ofSeconds(15));
        assertThat(config.toString()).contains("webhooks=off (polling)");
    }

    @Test
    void withWebhookSecret_reconcilesEveryMinute_unlessToldOtherwise() {
        assertThat(Config.fromEnvironment(complete(), false).reconcilePeriod())
                .isEqualTo(java.time.Duration.ofSeconds(60));
        Map<String, String> env = complete();
        env.put("CUTOVER_RECONCILE_SECONDS", "30");
        assertThat(Config.fromEnvironment(env, false).reconcilePeriod()).isEqualTo(java.time.Duration.ofSeconds(30));
    }

    @Test
    void badReconcilePeriod_isNamed() {
        Map<String, String> env = complete();
        env.put("CUTOVER_RECONCILE_SECONDS", "soon");

        assertThatThrownBy(() -> Config.fromEnvironment(env, false)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("CUTOVER_RECONCILE_SECONDS must be a whole number of seconds");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"30s, PT30S", "15m, PT15M", "12h, PT12H", "7d, PT168H", "2D, PT48H"})
    void eventRetention_acceptsANumberAndAUnit(String text, java.time.Duration expected) {
        Map<String, String> env = complete();
        env.put("CUTOVER_EVENT_RETENTION", text);

        assertThat(Config.fromEnvironment(env, false).eventRetention()).isEqualTo(expected);
    }

    @Test
    void eventRetention_defaultsToSevenDays() {
        assertThat(Config.fromEnvironment(complete(), false).eventRetention()).isEqualTo(java.time.Duration.ofDays(7));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"7", "0s", "-1d", "7 days", "1w", "P7D", "1.5h"})
    void eventRetention_rejectsAnythingElse_namingTheVariable(String text) {
        Map<String, String> env = complete();
        env.put("CUTOVER_EVENT_RETENTION", text);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("CUTOVER_EVENT_RETENTION must be a positive duration such as 7d").contains(text);
    }

    @Test
    void slackTeamIds_areACommaSeparatedList_andOptional() {
        Map<String, String> env = complete();
        assertThat(Config.fromEnvironment(env, false).slackTeamIds()).isEmpty();

        env.put("SLACK_TEAM_ID", " T0AAA, E0GRID ,T0BBB");
        assertThat(Config.fromEnvironment(env, false).slackTeamIds()).containsExactlyInAnyOrder("T0AAA", "E0GRID",
                "T0BBB");
    }

    @Test
    void slackTeamId_thatIsNotATeamId_isNamed() {
        Map<String, String> env = complete();
        env.put("SLACK_TEAM_ID", "T0AAA,acme.slack.com");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.problems()).singleElement().asString().startsWith("SLACK_TEAM_ID must be Slack team ids")
                .contains("acme.slack.com");
    }

    @Test
    void shortMetricsToken_isRefused_withoutEchoingIt() {
        Map<String, String> env = complete();
        env.put("CUTOVER_METRICS_TOKEN", "secret-short");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.problems()).singleElement().asString().startsWith("CUTOVER_METRICS_TOKEN must be at least 16")
                .doesNotContain("secret-short");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"true, true", "TRUE, true", "false, false", "False, false"})
    void cutoverSandbox_acceptsTrueAndFalse(String text, boolean expected) {
        Map<String, String> env = complete();
        env.put("CUTOVER_SANDBOX", text);

        assertThat(Config.fromEnvironment(env, false).sandbox()).isEqualTo(expected);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"yes", "1", "on", "ture", "sandbox"})
    void cutoverSandbox_rejectsAnythingElse(String text) {
        Map<String, String> env = complete();
        env.put("CUTOVER_SANDBOX", text);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.problems()).singleElement().asString()
                .isEqualTo("CUTOVER_SANDBOX must be true or false (or unset), got '" + text + "'");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"TRACE", "debug", "Info", "WARN", "error"})
    void cutoverLogLevel_acceptsLogbacksLevels(String text) {
        Map<String, String> env = complete();
        env.put("CUTOVER_LOG_LEVEL", text);

        assertThat(Config.fromEnvironment(env, false)).isNotNull();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"verbose", "WARNING", "2", "INFO,DEBUG"})
    void cutoverLogLevel_rejectsAnythingElse_insteadOfFallingBackToDebug(String text) {
        Map<String, String> env = complete();
        env.put("CUTOVER_LOG_LEVEL", text);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("CUTOVER_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR").contains(text);
    }

    static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("SLACK_APP_TOKEN", APP_TOKEN);
        env.put("PLANETSCALE_ORG", "acme");
        env.put("PLANETSCALE_SERVICE_TOKEN_ID", TOKEN_ID);
        env.put("PLANETSCALE_SERVICE_TOKEN", TOKEN);
        env.put("PLANETSCALE_WEBHOOK_SECRET", WEBHOOK_SECRET);
        return env;
    }

    @Test
    void databaseUrl_postgresqlForm_becomesAJdbcUrlWithTheCredentialsApart() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://cutover:s%40cret@db.internal:5433/cutover?sslmode=require",
                java.util.Optional.empty(), java.util.Optional.empty());

        org.assertj.core.api.Assertions.assertThat(url.jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.internal:5433/cutover?sslmode=require");
        org.assertj.core.api.Assertions.assertThat(url.user()).contains("cutover");
        org.assertj.core.api.Assertions.assertThat(url.password()).contains("s@cret");
        org.assertj.core.api.Assertions.assertThat(url.toString()).doesNotContain("s@cret").doesNotContain("s%40cret");
    }

    @Test
    void databaseUrl_jdbcForm_takesTheCredentialsFromTheirVariables() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db:5432/cutover", java.util.Optional.of("bot"),
                java.util.Optional.of("pw"));

        org.assertj.core.api.Assertions.assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/cutover");
        org.assertj.core.api.Assertions.assertThat(url.user()).contains("bot");
        org.assertj.core.api.Assertions.assertThat(url.password()).contains("pw");
    }

    @Test
    void databaseUrl_ofAnotherKind_isRefusedWithoutEchoingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:topsecret@h/db",
                java.util.Optional.empty(), java.util.Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("topsecret");
    }
}
