package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code CUTOVER_EVENT_RETENTION} over real HTTP with a fake clock: a delivered webhook stays a duplicate for the
 * retention period and is forgotten after it, when the retention pass has run.
 */
@Timeout(30)
class EventRetentionTest {
    static final String CHANNEL = "C0RETAIN";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_DEFAULT_CHANNEL", CHANNEL)
            .env("CUTOVER_EVENT_RETENTION", "12h")
            .afterStart(started -> started.simulator().webhookUrl(null));
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();

    @Test
    void aDeliveredEvent_isADuplicateWithinTheRetention_andForgottenAfterIt() throws Exception {
        byte[] webhook = ("{\"event\":\"webhook.test\",\"organization\":\"" + RunningCutover.ORG
                + "\",\"database\":\"shop\",\"resource\":{\"id\":\"db1\",\"name\":\"shop\"}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(cutover.service().webhook(webhook).body()).contains("accepted");
        await().atMost(Duration.ofSeconds(10)).until(() -> slack.posts(CHANNEL).size() == 1);
        // Finished (its finished_at taken from the clock) before the clock moves, not just seen in Slack.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cutover.service().get("/healthz").body().contains("\"outbox\":0"));

        clock.advance(Duration.ofHours(11));
        assertThat(cutover.service().cutover().purgeNow()).isZero();
        assertThat(cutover.service().webhook(webhook).body()).contains("duplicate");

        clock.advance(Duration.ofHours(2));
        assertThat(cutover.service().cutover().purgeNow()).isPositive(); // ours, and whatever the sandbox sent at start
        assertThat(cutover.service().webhook(webhook).body()).contains("accepted");
        await().atMost(Duration.ofSeconds(10)).until(() -> slack.posts(CHANNEL).size() == 2);
    }

    @Test
    void thePurgeRunsEveryHalfRetention_withinTenSecondsToAnHour() {
        assertThat(EventRetention.period(Duration.ofDays(7))).isEqualTo(Duration.ofHours(1));
        assertThat(EventRetention.period(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(15));
        assertThat(EventRetention.period(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(10));
    }
}
