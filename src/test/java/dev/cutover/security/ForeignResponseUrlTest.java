package dev.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.testing.Answers;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A correctly signed request whose {@code response_url} is not Slack's: nothing is sent there, the refusal is
 * counted, no worker thread dies ({@code file:} and {@code gopher:} used to throw), and the bot keeps answering.
 */
@Timeout(30)
class ForeignResponseUrlTest {
    @TempDir
    Path dataDir;
    FakeSlackApi slack;
    RunningCutover cutover;
    MockWebServer elsewhere;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlackApi().start();
        elsewhere = new MockWebServer();
        elsewhere.enqueue(new MockResponse().setBody("ok"));
        elsewhere.start();
        cutover = RunningCutover.sandbox(slack, new FakeClock(), dataDir, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        cutover.close();
        slack.close();
        elsewhere.shutdown();
    }

    @Test
    void foreignHostsAndSchemes_getNothing_andTheBotKeepsAnswering() throws Exception {
        String[] foreign = {elsewhere.url("/hook").toString(), "file:///etc/passwd", "gopher://127.0.0.1:70/_x",
                "https://hooks.slack.com.evil.example/x"};
        for (String responseUrl : foreign) {
            assertThat(cutover.command("U0ALICE", "C0DEPLOYS", "list", responseUrl).status()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> refused() >= foreign.length);
        cutover.command("U0ALICE", "C0DEPLOYS", "list", slack.responseUrl("after"));

        assertThat(Answers.firstText(slack, "after")).contains("shop");
        assertThat(elsewhere.getRequestCount()).isZero();
        assertThat(refused()).isEqualTo(foreign.length);
    }

    private double refused() throws Exception {
        return cutover.cutover().registry().find("slack.calls").tags("method", "response_url", "outcome", "refused")
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
