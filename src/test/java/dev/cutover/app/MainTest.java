package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.FakeSlackApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar cutover.jar}: what an operator sees when the environment is wrong, and a clean sandbox start. */
@Timeout(30)
class MainTest {
    @TempDir
    Path dataDir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final AtomicReference<Cutover> started = new AtomicReference<>();

    @AfterEach
    void stopWhatStarted() {
        if (started.get() != null) {
            started.get().close();
        }
    }

    @Test
    void missingSigningSecret_exitsNonZeroNamingItWithoutAStackTrace() {
        Map<String, String> env = slackOnly();
        env.remove("SLACK_SIGNING_SECRET");

        int code = run(env, "--sandbox");

        assertThat(code).isNotZero();
        assertThat(stderr()).contains("SLACK_SIGNING_SECRET is not set: the signing secret from the Slack app");
        assertNoStackTrace();
        assertThat(started.get()).isNull();
    }

    @Test
    void severalBadSettings_areAllNamedAtOnceWithWhatEachExpects() {
        Map<String, String> env = slackOnly();
        env.put("PORT", "eighty");
        env.put("SLACK_BOT_TOKEN", "xoxp-a-user-token-not-a-bot-token");
        env.put("CUTOVER_DEFAULT_CHANNEL", "#deploys");
        env.put("CUTOVER_POLICY_FILE", dataDir.resolve("no-such-policy.yml").toString());

        int code = run(env, "--sandbox");

        assertThat(code).isNotZero();
        assertThat(stderr())
                .contains("PORT must be a number (a TCP port), got 'eighty'")
                .contains("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
                .contains("CUTOVER_DEFAULT_CHANNEL must be a Slack channel ID such as C0123456789")
                .contains("got '#deploys'")
                .contains("CUTOVER_POLICY_FILE points at " + dataDir.resolve("no-such-policy.yml")
                        + ", which is not a readable file");
        assertThat(stderr()).doesNotContain("xoxp-a-user-token-not-a-bot-token");
        assertNoStackTrace();
    }

    @Test
    void misspelledSandboxAndLogLevel_stopStartUp_withStatus2() {
        Map<String, String> env = slackOnly();
        env.put("CUTOVER_SANDBOX", "yes");
        env.put("CUTOVER_LOG_LEVEL", "verbose");

        int code = run(env);

        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(stderr()).contains("CUTOVER_SANDBOX must be true or false").contains("CUTOVER_LOG_LEVEL must be one of");
        assertThat(started.get()).isNull();
    }

    @Test
    void portOutOfRange_isNamedWithTheRange() {
        Map<String, String> env = slackOnly();
        env.put("PORT", "70000");

        int code = run(env, "--sandbox");

        assertThat(code).isNotZero();
        assertThat(stderr()).contains("PORT must be a TCP port from 0 to 65535, got 70000");
    }

    @Test
    void realMode_withoutPlanetScaleSettings_namesEachOne() {
        int code = run(slackOnly());

        assertThat(code).isNotZero();
        assertThat(stderr()).contains("PLANETSCALE_ORG is not set")
                .contains("PLANETSCALE_SERVICE_TOKEN_ID is not set")
                .contains("PLANETSCALE_SERVICE_TOKEN is not set")
                .doesNotContain("PLANETSCALE_WEBHOOK_SECRET"); // optional: without it Cutover polls
        assertNoStackTrace();
    }

    @Test
    void unknownArgument_printsUsageAndExitsNonZero() {
        int code = run(slackOnly(), "--sandbx");

        assertThat(code).isNotZero();
        assertThat(stderr()).contains("Unknown argument '--sandbx'").contains("Usage: java -jar cutover.jar [--sandbox]");
        assertThat(started.get()).isNull();
    }

    @Test
    void invalidPolicyFile_exitsNonZeroNamingTheFileAndLine() throws Exception {
        Path policy = dataDir.resolve("policy.yml");
        Files.writeString(policy, "rules:\n  - actions: [deploi]\n    databases: [shop]\n    allow: [U0BOB]\n");
        Map<String, String> env = slackOnly();
        env.put("CUTOVER_POLICY_FILE", policy.toString());

        int code = run(env, "--sandbox");

        assertThat(code).isNotZero();
        assertThat(stderr()).contains("policy file is invalid").contains(policy.toString())
                .contains("line 2, column").contains("unknown action 'deploi'");
        assertNoStackTrace();
        assertThat(started.get()).isNull();
    }

    @Test
    void displayNameInPeople_stopsStartUp_sayingHowToFindTheActorId() throws Exception {
        Path policy = dataDir.resolve("policy.yml");
        Files.writeString(policy, "rules:\n  - actions: [approve]\n    databases: [shop]\n    allow: [U0DANA]\n"
                + "people:\n  U0DANA: \"Dana Dev\"\n");
        Map<String, String> env = slackOnly();
        env.put("CUTOVER_POLICY_FILE", policy.toString());

        int code = run(env, "--sandbox");

        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(stderr()).contains("policy file is invalid").contains("line 6")
                .contains("U0DANA in people must be a PlanetScale actor id").contains("not a display name like 'Dana Dev'")
                .contains("/pscale show <database> <number>");
        assertNoStackTrace();
        assertThat(started.get()).isNull();
    }

    @Test
    void dataDirThatIsAFile_exitsNonZeroWithoutAStackTrace() throws Exception {
        Path notADirectory = Files.writeString(dataDir.resolve("plain-file"), "x");
        Map<String, String> env = slackOnly();
        env.put("CUTOVER_DATA_DIR", notADirectory.toString());

        int code = run(env, "--sandbox");

        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(stderr()).startsWith("Cutover cannot start")
                .contains("CUTOVER_DATA_DIR " + notADirectory.toAbsolutePath() + " is not writable");
        assertNoStackTrace();
        assertThat(started.get()).isNull();
    }

    @Test
    void dataDirThatCannotBeCreated_namesTheDirectoryAndTheVariable() throws Exception {
        Path underAFile = Files.writeString(dataDir.resolve("plain-file"), "x").resolve("data");
        Map<String, String> env = slackOnly();
        env.put("CUTOVER_DATA_DIR", underAFile.toString());

        int code = run(env, "--sandbox");

        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(stderr()).contains("CUTOVER_DATA_DIR " + underAFile.toAbsolutePath() + " is not writable")
                .contains("set CUTOVER_DATA_DIR");
        assertNoStackTrace();
    }

    @Test
    void portInUse_namesThePortAndTheVariable_andExits2() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("0.0.0.0"))) {
            Map<String, String> env = slackOnly();
            env.put("PORT", Integer.toString(taken.getLocalPort()));

            int code = run(env, "--sandbox");

            assertThat(code).isEqualTo(Main.EXIT_CONFIG);
            assertThat(stderr()).contains("port " + taken.getLocalPort() + " is in use — set PORT");
            assertNoStackTrace();
            assertThat(started.get()).isNull();
        }
    }

    @Test
    @Timeout(60)
    void secondProcessOnTheSameDataDir_stopsAtStartUp_namingTheDirectoryAndTheFirstProcess() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--sandbox")
                .redirectErrorStream(true);
        builder.environment().putAll(slackOnly());
        Process first = builder.start();
        try {
            java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                    first.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.contains("Cutover is listening"));
            assertThat(line).as("the first process started").isNotNull();

            int code = run(slackOnly(), "--sandbox");

            assertThat(code).isEqualTo(Main.EXIT_CONFIG);
            assertThat(stderr()).contains("CUTOVER_DATA_DIR " + dataDir.toAbsolutePath() + " is in use by another"
                    + " Cutover process (pid " + first.pid() + ")").contains("set CUTOVER_DATA_DIR");
            assertNoStackTrace();
            assertThat(started.get()).isNull();
        } finally {
            first.destroy();
            first.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            first.destroyForcibly();
        }
    }

    @Test
    void sandbox_withOnlySlackSettings_startsAndServesHealthz() throws Exception {
        try (FakeSlackApi slack = new FakeSlackApi().start()) {
            Map<String, String> env = slackOnly();
            env.put("SLACK_API_URL", slack.apiUrl());

            int code = run(env, "--sandbox");

            assertThat(code).as(stderr()).isZero();
            assertThat(started.get()).isNotNull();
            assertThat(stdout()).contains("SANDBOX MODE").contains("listening on port " + started.get().port());
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + started.get().port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"sandbox\":true");
        }
    }

    @Test
    void help_printsUsageAndStartsNothing() {
        int code = run(slackOnly(), "--help");

        assertThat(code).isZero();
        assertThat(stdout()).contains("Usage: java -jar cutover.jar [--sandbox]");
        assertThat(started.get()).isNull();
    }

    /** The Slack settings, plus a free port and a temporary data directory so the test leaves nothing behind. */
    private Map<String, String> slackOnly() {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", "xoxb-main-test-token");
        env.put("SLACK_SIGNING_SECRET", "main-test-signing-secret");
        env.put("PORT", "0");
        env.put("CUTOVER_DATA_DIR", dataDir.toString());
        return env;
    }

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), started::set);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertNoStackTrace() {
        assertThat(stderr()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(stdout()).doesNotContain("\tat ");
    }
}
