package dev.cutover.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.planetscale.CachingPlanetScaleApi;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeClock;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.ScriptedPlanetScale;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A card needs the database's approval setting, which comes from PlanetScale; a slow or failing PlanetScale must
 * not hold up the Slack notification (the webhook already carries the deploy request).
 */
@Timeout(30)
class SlowPlanetScaleNotificationTest {
    static final String CHANNEL = "C0SLOWPS";

    final ScriptedPlanetScale planetScale = new ScriptedPlanetScale().start();
    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.against(planetScale::apiUrl).closing(planetScale);
    final FakeSlackApi slack = cutover.slack();
    final FakeClock clock = cutover.clock();

    @Test
    void webhook_isPostedToSlackPromptly_whilePlanetScaleTakesSecondsToAnswer() throws Exception {
        cutover.service().command("U0ALICE", CHANNEL, "subscribe shop", slack.responseUrl("subscribe"));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses("subscribe").isEmpty());
        clock.advance(CachingPlanetScaleApi.DATABASE_TTL.plusSeconds(1)); // the database setting is no longer cached
        planetScale.delayEveryAnswer(Duration.ofSeconds(3));

        ObjectNode envelope = new ObjectMapper().createObjectNode();
        envelope.put("timestamp", clock.instant().getEpochSecond()).put("event", "deploy_request.opened")
                .put("organization", RunningCutover.ORG).put("database", "shop")
                .set("resource", ScriptedPlanetScale.deployRequest("shop", 42, "pending"));
        assertThat(cutover.service().webhook(envelope.toString().getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);

        // Well under the 3 s PlanetScale takes: the card goes out without waiting for the approval setting.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.posts(CHANNEL).size() == 1);
        assertThat(slack.posts(CHANNEL).get(0).param("text")).contains("shop#42");
    }
}
