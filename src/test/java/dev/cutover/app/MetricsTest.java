package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.Answers;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /metrics} reads like a well-kept Java service's: Cutover's own under {@code cutover_}, each explained. */
@Timeout(30)
class MetricsTest {
    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();

    @Test
    void everyCutoverMetric_hasHelp_andLatenciesAreHistograms() throws Exception {
        cutover.service().command("U0ALICE", "C0METRICS", "show shop 3", slack.responseUrl("show"));
        Answers.first(slack, "show");

        String metrics = cutover.service().get("/metrics").body();
        List<String> lines = Arrays.asList(metrics.split("\n"));

        Matcher types = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(metrics);
        int cutoverFamilies = 0;
        while (types.find()) {
            String name = types.group(1);
            assertThat(name).as("a Slack or PlanetScale metric outside cutover_").doesNotStartWith("slack_");
            if (name.startsWith("cutover_")) {
                cutoverFamilies++;
                assertThat(types.group(2)).as(name).isNotEqualTo("summary");
                assertThat(lines).as(name).anyMatch(line -> line.matches("# HELP " + Pattern.quote(name) + " \\S.*"));
            }
        }
        assertThat(cutoverFamilies).isGreaterThan(5);
        assertThat(metrics).doesNotContain("quantile=");
    }

    @Test
    void slackAndPlanetScaleCalls_areCountedAndTimed() throws Exception {
        cutover.service().command("U0ALICE", "C0METRICS", "show shop 3", slack.responseUrl("show"));
        Answers.first(slack, "show");

        // The call's timer is stopped just after its answer reached the fake Slack.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> cutover.service().get("/metrics").body().contains("cutover_slack_call_duration_seconds_count"));
        String metrics = cutover.service().get("/metrics").body();

        assertThat(metrics)
                .containsPattern("cutover_slack_calls_total\\{[^}]*method=\"response_url\"[^}]*outcome=\"ok\"[^}]*} 1\\.0")
                .containsPattern("cutover_slack_call_duration_seconds_bucket\\{[^}]*le=\"0\\.25\"")
                .containsPattern("cutover_planetscale_calls_total\\{[^}]*family=\"deploy_request\"[^}]*status=\"200\"")
                .containsPattern("cutover_planetscale_call_duration_seconds_bucket\\{[^}]*family=\"deploy_request\"")
                .contains("cutover_delivery_latency_seconds_bucket", "cutover_webhook_intake_seconds_bucket");
    }

    @Test
    void processAndGcMetrics_areExposed() throws Exception {
        String metrics = cutover.service().get("/metrics").body();

        assertThat(metrics).contains("process_cpu_usage", "process_uptime_seconds", "jvm_gc_", "jvm_memory_used_bytes",
                "jvm_threads_live_threads", "jvm_classes_loaded_classes");
    }
}
