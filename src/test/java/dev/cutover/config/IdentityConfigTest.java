package dev.cutover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OAuth and audit variables: all-or-none, each problem naming its variable, secrets never printed. */
class IdentityConfigTest {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final String CLIENT_SECRET = "pscale-oauth-client-secret-123";

    @Test
    void allOAuthVariables_enableLinking_andNoSecretIsPrinted() {
        Map<String, String> env = oauth();

        Config config = Config.fromEnvironment(env, false);

        assertThat(config.identity().oauth()).isPresent();
        assertThat(config.identity().oauth().get().applicationId()).isEqualTo("app123456789");
        assertThat(config.toString()).contains("linkAccounts=on").doesNotContain(CLIENT_SECRET).doesNotContain(KEY);
    }

    @Test
    void noOAuthVariables_leaveLinkingOff() {
        Config config = Config.fromEnvironment(ConfigTest.complete(), false);

        assertThat(config.identity().oauth()).isEmpty();
        assertThat(config.identity().auditRetention()).isEqualTo(Duration.ofDays(400));
    }

    @Test
    void someOAuthVariables_nameEachMissingOne() {
        Map<String, String> env = oauth();
        env.remove("PLANETSCALE_OAUTH_CLIENT_SECRET");
        env.remove("CUTOVER_ENCRYPTION_KEY");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("PLANETSCALE_OAUTH_CLIENT_SECRET is not set"))
                .anySatisfy(p -> assertThat(p).startsWith("CUTOVER_ENCRYPTION_KEY is not set"));
    }

    @Test
    void oauthWithoutPublicUrl_namesIt() {
        Map<String, String> env = oauth();
        env.remove("CUTOVER_PUBLIC_URL");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.problems()).singleElement().asString().startsWith("CUTOVER_PUBLIC_URL is not set");
    }

    @Test
    void badKey_isNamedWithoutEchoingIt() {
        Map<String, String> env = oauth();
        env.put("CUTOVER_ENCRYPTION_KEY", "c2hvcnQta2V5");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.problems()).singleElement().asString().startsWith("CUTOVER_ENCRYPTION_KEY must be 32 bytes")
                .doesNotContain("c2hvcnQta2V5");
    }

    @Test
    void sandbox_linksWithAnEphemeralKey_whenNoneIsSet() {
        Config config = Config.fromEnvironment(ConfigTest.complete(), true);

        assertThat(config.identity().oauth()).isPresent();
        assertThat(config.identity().oauth().get().ephemeralKey()).isTrue();
    }

    @Test
    void auditRetention_isADuration() {
        Map<String, String> env = ConfigTest.complete();
        env.put("CUTOVER_AUDIT_RETENTION", "forever");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.fromEnvironment(env, false));

        assertThat(e.problems()).singleElement().asString().startsWith("CUTOVER_AUDIT_RETENTION must be a positive"
                + " duration");
    }

    static Map<String, String> oauth() {
        Map<String, String> env = ConfigTest.complete();
        env.put("PLANETSCALE_OAUTH_APP_ID", "app123456789");
        env.put("PLANETSCALE_OAUTH_CLIENT_ID", "client-id");
        env.put("PLANETSCALE_OAUTH_CLIENT_SECRET", CLIENT_SECRET);
        env.put("CUTOVER_ENCRYPTION_KEY", KEY);
        env.put("CUTOVER_PUBLIC_URL", "https://cutover.example.com");
        return env;
    }
}
