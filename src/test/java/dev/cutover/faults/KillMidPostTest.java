package dev.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.testing.ChildCutover;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash window the post ledger closes: Cutover runs as a child JVM, Slack accepts its post, and the process is
 * SIGKILLed before Slack's answer reaches it (so before the store records the post). The next process on the same
 * data directory finds the message in the channel and adopts it: the channel shows one card, not two.
 */
class KillMidPostTest {
    static final String CHANNEL = "C0KILL";

    @TempDir
    Path dataDir;

    @Test
    @Timeout(120)
    void sigkill_betweenSlackAcceptingAPostAndTheStoreRecordingIt_postsOnce() throws Exception {
        try (FakeSlackApi slack = new FakeSlackApi().start()) {
            // Slack takes the post at once but holds its answer: the child is killed while waiting for it.
            slack.failNext("chat.postMessage", 1, FakeSlackApi.Fault.delay(Duration.ofSeconds(3)));
            int port = ChildCutover.freePort();
            Process child = ChildCutover.start(slack, port, dataDir, Map.of("CUTOVER_DEFAULT_CHANNEL", CHANNEL));
            try {
                ChildCutover.awaitHealthy(port);
                byte[] body = StoreFailureTest.queuedEvent();
                assertThat(ChildCutover.postWebhook(port, body)).isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> slack.posts(CHANNEL).size() == 1);
            } finally {
                ChildCutover.kill(child);
            }

            FakeClock clock = new FakeClock(Instant.now().plus(Duration.ofMinutes(1)));
            try (RunningCutover restarted = RunningCutover.against(ChildCutover.NO_PLANETSCALE, slack, clock, dataDir,
                    Map.of("CUTOVER_DEFAULT_CHANNEL", CHANNEL))) {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    restarted.cutover().deliverNow();
                    return restarted.get("/healthz").body().contains("\"outbox\":0");
                });
            }

            assertThat(slack.posts(CHANNEL)).hasSize(1);
            assertThat(slack.calls("chat.postMessage")).hasSize(1);
            assertThat(slack.calls("conversations.history")).isNotEmpty();
        }
    }
}
