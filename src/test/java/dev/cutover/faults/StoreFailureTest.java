package dev.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store refusing a write (another process holds SQLite's lock past the 1 s busy timeout, as an operator's
 * {@code sqlite3} or a backup might): the webhook is not acknowledged, so PlanetScale sends it again, and the
 * redelivery is recorded and posted once.
 */
@Timeout(30)
class StoreFailureTest {
    static final String CHANNEL = "C0DEPLOYS";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_DEFAULT_CHANNEL", CHANNEL);
    final FakeSlackApi slack = cutover.slack();

    @Test
    void webhook_whileTheDatabaseIsLockedElsewhere_gets503_andItsRedeliveryIsPostedOnce() throws Exception {
        byte[] body = queuedEvent();
        RunningCutover.HttpResult refused;
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + cutover.dataDir().resolve("cutover.db"));
                Statement statement = other.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");

            refused = cutover.service().webhook(body);

            statement.execute("ROLLBACK");
        }
        RunningCutover.HttpResult redelivered = cutover.service().webhook(body);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).doesNotContain("Exception").doesNotContain("SQL");
        assertThat(redelivered.status()).isEqualTo(200);
        assertThat(redelivered.body()).contains("\"accepted\"");
        // Delivered, and nothing left in the outbox that could post it again.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> cutover.service().get("/healthz").body().contains("\"outbox\":0") && !slack.posts(CHANNEL).isEmpty());
        assertThat(slack.posts(CHANNEL)).hasSize(1);
        assertThat(cutover.service().webhook(body).body()).contains("\"duplicate\"");
    }

    @Test
    void healthz_staysUpWhileTheDatabaseIsLockedElsewhere() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + cutover.dataDir().resolve("cutover.db"));
                Statement statement = other.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");

            RunningCutover.HttpResult health = cutover.service().get("/healthz");

            assertThat(health.status()).isEqualTo(200);
            statement.execute("ROLLBACK");
        }
    }

    /** The API reference's {@code deploy_request.queued} example, for the sandbox's organization. */
    static byte[] queuedEvent() throws IOException {
        try (InputStream in = StoreFailureTest.class.getResourceAsStream(
                "/planetscale/webhook-deploy-request-queued.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"organization\": \"acme\"", "\"organization\": \"" + RunningCutover.ORG + "\"")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
