package dev.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.testing.Answers;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A correctly signed request whose {@code response_url} is not Slack's: nothing is sent there, the refusal is
 * counted, no worker thread dies ({@code file:} and {@code gopher:} used to throw), and the bot keeps answering.
 */
@Timeout(30)
class ForeignResponseUrlTest {
    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    MockWebServer elsewhere;

    @BeforeEach
    void startElsewhere() throws Exception {
        elsewhere = new MockWebServer();
        elsewhere.enqueue(new MockResponse().setBody("ok"));
        elsewhere.start();
    }

    @AfterEach
    void stopElsewhere() throws Exception {
        elsewhere.shutdown();
    }

    @Test
    void foreignHostsAndSchemes_getNothing_andTheBotKeepsAnswering() throws Exception {
        String[] foreign = {elsewhere.url("/hook").toString(), "file:///etc/passwd", "gopher://127.0.0.1:70/_x",
                "https://hooks.slack.com.evil.example/x"};
        for (String responseUrl : foreign) {
            assertThat(cutover.service().command("U0ALICE", "C0DEPLOYS", "list", responseUrl).status()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> refused() >= foreign.length);
        cutover.service().command("U0ALICE", "C0DEPLOYS", "list", slack.responseUrl("after"));

        assertThat(Answers.firstText(slack, "after")).contains("shop");
        assertThat(elsewhere.getRequestCount()).isZero();
        assertThat(refused()).isEqualTo(foreign.length);
    }

    private double refused() throws Exception {
        return cutover.service().cutover().registry().find("slack.calls")
                .tags("method", "response_url", "outcome", "refused")
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
