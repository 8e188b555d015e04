package dev.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A wrong SLACK_SIGNING_SECRET or PLANETSCALE_WEBHOOK_SECRET (the most common install mistake) shows up in the
 * log, at WARN, at most once a minute with what to check, and in the metrics, every time. The log is the
 * user-visible behaviour here: it is what the operator reads.
 */
@Timeout(30)
class WrongSecretTest {
    static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    static final String WRONG_SLACK_SECRET = "wrong-signing-secret-123";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();

    @Test
    void wrongSlackSecret_isCountedEveryTime_andWarnedAtMostOncePerInterval() throws Exception {
        try (CapturedLogs logs = CapturedLogs.start()) {
            for (int i = 0; i < 3; i++) {
                assertThat(slackSignedWith(WRONG_SLACK_SECRET, clock.instant().getEpochSecond())).isEqualTo(401);
            }
            assertThat(warnings(logs, "SLACK_SIGNING_SECRET")).singleElement().asString()
                    .contains("Rejected 1 slack request(s)").contains("invalid").contains("clock");

            clock.advance(Duration.ofSeconds(61));
            assertThat(slackSignedWith(WRONG_SLACK_SECRET, clock.instant().getEpochSecond())).isEqualTo(401);
            assertThat(slackSignedWith(RunningCutover.SIGNING_SECRET, clock.instant().getEpochSecond() - 3600))
                    .isEqualTo(401);

            assertThat(warnings(logs, "SLACK_SIGNING_SECRET")).hasSize(2).last().asString()
                    .contains("Rejected 3 slack request(s)");
            assertThat(logs.lines()).noneMatch(line -> line.contains(WRONG_SLACK_SECRET)
                    || line.contains(RunningCutover.SIGNING_SECRET));
        }
        String metrics = cutover.service().get("/metrics").body();
        assertThat(metrics).contains("cutover_signature_rejected_total{reason=\"invalid\",source=\"slack\"} 4.0")
                .contains("cutover_signature_rejected_total{reason=\"stale\",source=\"slack\"} 1.0");
    }

    @Test
    void wrongWebhookSecret_isCountedEveryTime_andWarnedOnce() throws Exception {
        byte[] body = "{\"event\":\"webhook.test\",\"resource\":{}}".getBytes(StandardCharsets.UTF_8);
        try (CapturedLogs logs = CapturedLogs.start()) {
            for (int i = 0; i < 2; i++) {
                assertThat(cutover.service().post("/webhooks/planetscale", body, Map.of("X-PlanetScale-Signature",
                        Signatures.planetScale("not-the-webhook-secret", body)), MediaType.get("application/json"))
                        .status()).isEqualTo(401);
            }
            assertThat(cutover.service()
                    .post("/webhooks/planetscale", body, Map.of(), MediaType.get("application/json"))
                    .status()).isEqualTo(401);

            assertThat(warnings(logs, "PLANETSCALE_WEBHOOK_SECRET")).singleElement().asString()
                    .contains("Rejected 1 planetscale request(s)");
        }
        assertThat(cutover.service().get("/metrics").body())
                .contains("cutover_signature_rejected_total{reason=\"invalid\",source=\"planetscale\"} 2.0")
                .contains("cutover_signature_rejected_total{reason=\"missing\",source=\"planetscale\"} 1.0");
    }

    private int slackSignedWith(String secret, long timestamp) throws Exception {
        byte[] body = RunningCutover.formBody(Map.of("command", "/pscale", "text", "help", "team_id",
                FakeSlackApi.TEAM_ID, "user_id", "U0ALICE", "response_url", slack.responseUrl("x")));
        return cutover.service().post("/slack/events", body, Map.of("X-Slack-Request-Timestamp",
                Long.toString(timestamp), "X-Slack-Signature", Signatures.slack(secret, timestamp, body)), FORM).status();
    }

    private static List<String> warnings(CapturedLogs logs, String hint) {
        return logs.lines().stream().filter(line -> line.startsWith("WARN") && line.contains(hint)).toList();
    }
}
