package dev.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
import dev.cutover.sandbox.ReceivedRequest;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text Cutover did not write (branch, notes, author, DDL, lint messages, comments) reaches Slack escaped, so it can
 * never ping a channel, mention someone or hide a link (slack.md §4.3), on every path that carries it there.
 */
@Timeout(30)
class EscapingTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String EVIL = "<!channel> <@U0EVIL> <https://evil.example|click> & <!here>";
    /** What must never appear in mrkdwn Slack renders: a raw broadcast, the planted mention, the planted link. */
    static final List<String> FORBIDDEN = List.of("<!channel", "<!here", "<!everyone", "<@U0EVIL", "<https://evil",
            "<http://evil");
    /** A bare {@code &} that is not the start of one of the three escapes Slack knows. */
    static final Pattern BARE_AMPERSAND = Pattern.compile("&(?!amp;|lt;|gt;)");

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    int number;

    @BeforeEach
    void start() throws Exception {
        cutover.service().command(ALICE, CHANNEL, "subscribe analytics", slack.responseUrl("subscribe"));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses("subscribe").isEmpty());
        number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of("analytics", "evil-" + EVIL,
                        new Actor("mallory", "Mallory " + EVIL), List.of("ALTER TABLE t COMMENT '" + EVIL + "'"))
                .withNotes("Notes " + EVIL)
                .withLintError("NO_UNIQUE_KEY", "t", "Lint says " + EVIL)
                .withChecksDone());
    }

    @Test
    void cardPostedFromAWebhook_escapesEveryForeignString() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.posts(CHANNEL).isEmpty());

        FakeSlackApi.Call post = slack.posts(CHANNEL).get(0);

        assertEscaped(post.param("text"), post.blocks());
        assertThat(post.blocks().toString()).contains("&lt;@U0EVIL&gt;");
    }

    @Test
    void showAnswer_escapesEveryForeignString() throws Exception {
        cutover.service().command(ALICE, CHANNEL, "show analytics " + number, slack.responseUrl("show"));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses("show").isEmpty());

        JsonNode answer = slack.responses("show").get(0).body();

        assertEscaped(answer.path("text").asText(), answer.path("blocks"));
        assertThat(answer.path("blocks").toString()).contains("Notes ").contains("&lt;!channel&gt;");
    }

    @Test
    void comment_goesToPlanetScaleVerbatim_butIsNeverEchoedUnescaped() throws Exception {
        cutover.service().command(ALICE, CHANNEL, "comment analytics " + number + " " + EVIL, slack.responseUrl("comment"));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !slack.responses("comment").isEmpty());

        List<ReceivedRequest> reviews = cutover.service().simulator().requests().stream()
                .filter(request -> request.method().equals("POST") && request.path().endsWith("/reviews")).toList();
        // Verbatim, except that Slack's own link wrapping is undone (CommandParser): the URL is what was typed.
        String asTyped = EVIL.replace("<https://evil.example|click>", "https://evil.example");
        assertThat(reviews).singleElement().satisfies(review ->
                assertThat(new ObjectMapper().readTree(review.body()).path("body").asText()).startsWith(asTyped));
        JsonNode answer = slack.responses("comment").get(0).body();
        assertThat(answer.toString()).contains("&lt;@U0EVIL&gt;");
        assertEscaped(answer.path("text").asText(), answer.path("blocks"));
        for (FakeSlackApi.Call call : slack.calls()) {
            assertEscaped(call.param("text") == null ? "" : call.param("text"), call.blocks());
        }
    }

    /** The fallback text and every mrkdwn text object carry no live markup from {@link #EVIL}. */
    private static void assertEscaped(String fallbackText, JsonNode blocks) {
        List<String> mrkdwn = new ArrayList<>();
        mrkdwn.add(fallbackText);
        collectMrkdwn(blocks, mrkdwn);
        for (String text : mrkdwn) {
            for (String forbidden : FORBIDDEN) {
                assertThat(text).as("mrkdwn text").doesNotContain(forbidden);
            }
            assertThat(BARE_AMPERSAND.matcher(text).find()).as("bare & in: %s", text).isFalse();
        }
    }

    /**
     * Every {@code mrkdwn} text object's text. {@code plain_text} is left out on purpose: Slack does not parse
     * markup there, so escaping it would show {@code &lt;} to people (slack.md §4.3).
     */
    private static void collectMrkdwn(JsonNode node, List<String> into) {
        if (node == null) {
            return;
        }
        if (node.isObject() && "mrkdwn".equals(node.path("type").asText()) && node.path("text").isTextual()) {
            into.add(node.path("text").asText());
        }
        node.forEach(child -> collectMrkdwn(child, into));
    }
}
