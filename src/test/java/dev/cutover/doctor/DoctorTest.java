package dev.cutover.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code /pscale doctor} and {@code GET /healthz?verbose} for a healthy installation and a broken one (missing
 * scope, disabled webhook, private channel), over HTTP against the sandbox and the fake Slack.
 */
@Timeout(60)
class DoctorTest {
    static final String ALICE = "U0ALICE";
    static final String CHANNEL = "C0DOCTOR";
    static final String PRIVATE = "G0PRIVATE";
    static final String TOKEN = "metrics-token-0123456789abcdef";
    static final String DATABASE = "doctored";

    @RegisterExtension
    final CutoverExtension service = CutoverExtension.sandbox().env("CUTOVER_METRICS_TOKEN", TOKEN)
            .env("CUTOVER_RECONCILE_SECONDS", "10");

    @Test
    void aHealthyInstallation_isAllGreen() throws Exception {
        RunningCutover cutover = installed();

        String answer = command(cutover, "doctor", "doctor");

        assertThat(answer).startsWith("*Cutover doctor* — ✅").doesNotContain("❌").doesNotContain("⚠️");
        assertThat(answer).contains("✅ *Slack token*: valid, with every scope of manifest.yml")
                .contains("✅ *PlanetScale token*: sees organization")
                .contains("✅ *" + DATABASE + ": access*: has read_deploy_request, read_database")
                .contains("✅ *" + DATABASE + ": webhook*: enabled")
                .contains("✅ *" + DATABASE + ": events*: last webhook received")
                .contains("✅ *Channels*").contains("✅ *Outbox*: 0 pending").contains("✅ *Store*: writable");
    }

    @Test
    void aBrokenInstallation_saysWhatIsWrong_andHowToFixIt() throws Exception {
        RunningCutover cutover = installed();
        FakeSlackApi slack = service.slack();
        slack.scopes(List.of("commands", "chat:write", "channels:join", "channels:read", "groups:read",
                "channels:history", "groups:history", "usergroups:read")); // chat:write.public missing
        command(cutover, "subscribe " + DATABASE, "subscribe-private", PRIVATE);
        slack.channel(PRIVATE, false, true, false); // made private, and the bot is not in it
        cutover.simulator().breakWebhookDeliveries(DATABASE, true);
        for (int i = 1; i <= 3; i++) {
            cutover.simulator().createDeployRequest(DeployRequestSeed.of(DATABASE, "b" + i, new Actor("c", "Carol"),
                    List.of("ALTER TABLE t ADD COLUMN c" + i + " INT")));
        }

        String answer = command(cutover, "doctor", "doctor-broken");

        assertThat(answer).startsWith("*Cutover doctor* — ❌");
        assertThat(answer).contains("❌ *Slack token*: valid but missing scopes: chat:write.public")
                .contains("reinstall the app");
        assertThat(answer).contains("❌ *" + DATABASE + ": webhook*: disabled by PlanetScale")
                .contains("Connection refused").contains("press Re-enable");
        assertThat(answer).contains("❌ *Channels*: cannot post in " + PRIVATE + " (private, not invited)")
                .contains("/invite @cutover");

        JsonNode json = verbose(cutover, "Bearer " + TOKEN);
        assertThat(json.path("status").asText()).isEqualTo("fail");
        List<String> failed = new ArrayList<>();
        json.path("checks").forEach(check -> {
            if (check.path("status").asText().equals("fail")) {
                failed.add(check.path("subject").asText());
            }
        });
        assertThat(failed).containsExactly("Slack token", DATABASE + ": webhook", "Channels");
    }

    @Test
    void verboseHealth_isProtectedLikeMetrics() throws Exception {
        RunningCutover cutover = installed();

        try (Response anonymous = get(cutover, null)) {
            assertThat(anonymous.code()).isEqualTo(401);
        }
        assertThat(verbose(cutover, "Bearer " + TOKEN).path("status").asText()).isEqualTo("ok");
        assertThat(cutover.get("/healthz").body()).doesNotContain("checks"); // the plain health check stays plain
    }

    /** A database subscribed in a channel, its webhook set up from Slack (the test event arrived). */
    private RunningCutover installed() throws Exception {
        RunningCutover cutover = service.service();
        cutover.simulator().webhookUrl(null);
        cutover.simulator().setDatabase(DATABASE, false);
        command(cutover, "subscribe " + DATABASE, "subscribe");
        command(cutover, "webhooks setup " + DATABASE, "setup");
        await().atMost(Duration.ofSeconds(5)).until(() -> service.slack().posts(CHANNEL).stream()
                .anyMatch(post -> post.param("text").contains("test event for *" + DATABASE + "* arrived")));
        return cutover;
    }

    private String command(RunningCutover cutover, String text, String answers) throws Exception {
        return command(cutover, text, answers, CHANNEL);
    }

    private String command(RunningCutover cutover, String text, String answers, String channel) throws Exception {
        FakeSlackApi slack = service.slack();
        cutover.command(ALICE, channel, text, slack.responseUrl(answers));
        await().atMost(Duration.ofSeconds(10)).until(() -> !slack.responses(answers).isEmpty());
        return slack.responses(answers).get(0).body().path("text").asText();
    }

    private JsonNode verbose(RunningCutover cutover, String authorization) throws Exception {
        try (Response response = get(cutover, authorization)) {
            return new ObjectMapper().readTree(response.body().string());
        }
    }

    private Response get(RunningCutover cutover, String authorization) throws Exception {
        Request.Builder request = new Request.Builder().url(cutover.url("/healthz?verbose"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return new OkHttpClient().newCall(request.build()).execute();
    }

    @Test
    void theScopesDoctorExpects_areTheManifests() throws Exception {
        String manifest = Files.readString(Path.of("manifest.yml"));
        String bot = manifest.substring(manifest.indexOf("    bot:"), manifest.indexOf("settings:"));
        List<String> scopes = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?m)^\\s+- ([a-z:.]+)").matcher(bot);
        while (matcher.find()) {
            scopes.add(matcher.group(1));
        }

        assertThat(Doctor.MANIFEST_SCOPES).containsExactlyElementsOf(scopes);
    }
}
