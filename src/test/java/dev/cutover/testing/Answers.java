package dev.cutover.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/** Waits for what the service posts to a {@link FakeSlackApi#responseUrl(String) response_url}. */
public final class Answers {
    public static final Duration PATIENCE = Duration.ofSeconds(10);

    private Answers() {}

    /** The first body posted to {@code responseUrl(name)}, waiting for it. */
    public static JsonNode first(FakeSlackApi slack, String name) {
        return atLeast(slack, name, 1).get(0).body();
    }

    /** The last body once at least {@code count} arrived. */
    public static JsonNode nth(FakeSlackApi slack, String name, int count) {
        return atLeast(slack, name, count).get(count - 1).body();
    }

    /** The first body posted to {@code responseUrl(name)}, waiting up to {@code patience} for it. */
    public static JsonNode first(FakeSlackApi slack, String name, Duration patience) {
        await().atMost(patience).pollInterval(Duration.ofMillis(20)).until(() -> !slack.responses(name).isEmpty());
        return slack.responses(name).get(0).body();
    }

    public static List<FakeSlackApi.Response> atLeast(FakeSlackApi slack, String name, int count) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> slack.responses(name).size() >= count);
        return slack.responses(name);
    }

    /** Every word of the first answer posted to {@code responseUrl(name)}. */
    public static String firstText(FakeSlackApi slack, String name) {
        return Cards.text(first(slack, name));
    }
}
