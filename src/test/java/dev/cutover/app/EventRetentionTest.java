package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CUTOVER_EVENT_RETENTION} over real HTTP with a fake clock: a delivered webhook stays a duplicate for the
 * retention period and is forgotten after it, when the retention pass has run.
 */
@Timeout(30)
class EventRetentionTest {
    static final String CHANNEL = "C0RETAIN";

    @TempDir
    Path dataDir;
    FakeSlackApi slack;
    FakeClock clock = new FakeClock();
    RunningCutover cutover;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlackApi().start();
        cutover = RunningCutover.sandbox(slack, clock, dataDir,
                Map.of("CUTOVER_DEFAULT_CHANNEL", CHANNEL, "CUTOVER_EVENT_RETENTION", "12h"));
        cutover.simulator().webhookUrl(null);
    }

    @AfterEach
    void stop() {
        cutover.close();
        slack.close();
    }

    @Test
    void aDeliveredEvent_isADuplicateWithinTheRetention_andForgottenAfterIt() throws Exception {
        byte[] webhook = ("{\"event\":\"webhook.test\",\"organization\":\"" + RunningCutover.ORG
                + "\",\"database\":\"shop\",\"resource\":{\"id\":\"db1\",\"name\":\"shop\"}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(cutover.webhook(webhook).body()).contains("accepted");
        await().atMost(Duration.ofSeconds(10)).until(() -> slack.posts(CHANNEL).size() == 1);

        clock.advance(Duration.ofHours(11));
        assertThat(cutover.cutover().purgeNow()).isZero();
        assertThat(cutover.webhook(webhook).body()).contains("duplicate");

        clock.advance(Duration.ofHours(2));
        assertThat(cutover.cutover().purgeNow()).isPositive(); // ours, and whatever the sandbox sent at start
        assertThat(cutover.webhook(webhook).body()).contains("accepted");
        await().atMost(Duration.ofSeconds(10)).until(() -> slack.posts(CHANNEL).size() == 2);
    }

    @Test
    void thePurgeRunsEveryHalfRetention_withinTenSecondsToAnHour() {
        assertThat(EventRetention.period(Duration.ofDays(7))).isEqualTo(Duration.ofHours(1));
        assertThat(EventRetention.period(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(15));
        assertThat(EventRetention.period(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(10));
    }
}
