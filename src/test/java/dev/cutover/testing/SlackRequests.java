package dev.cutover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import okhttp3.MediaType;

/**
 * The same signed slash commands and clicks as {@link RunningCutover#command} and {@link RunningCutover#click},
 * sent with {@code Connection: close}. RunningCutover's own client keeps its connection alive, and Jetty's
 * graceful stop then waits about 2 s for that idle connection in every {@code close()}; suites that start the
 * service once per test use this instead to stay fast.
 */
public final class SlackRequests {
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final RunningCutover cutover;

    public SlackRequests(RunningCutover cutover) {
        this.cutover = cutover;
    }

    /** {@code /pscale <text>} typed by {@code user} in {@code channel}; answers go to {@code responseUrl}. */
    public RunningCutover.HttpResult command(String user, String channel, String text, String responseUrl)
            throws IOException {
        return post(RunningCutover.formBody(SlackPayloads.command(user, channel, text, responseUrl)));
    }

    /**
     * A click on a button of a message in {@code channel} (ts {@code messageTs}); {@code blocks} are the clicked
     * message's blocks as Slack echoes them (may be null).
     */
    public RunningCutover.HttpResult click(String user, String channel, String messageTs, boolean ephemeral,
            String actionId, String value, JsonNode blocks, String responseUrl) throws IOException {
        ObjectNode payload = SlackPayloads.click(user, channel, messageTs, ephemeral, actionId, value, blocks,
                responseUrl);
        return post(RunningCutover.formBody(Map.of("payload", payload.toString())));
    }

    private RunningCutover.HttpResult post(byte[] body) throws IOException {
        long now = cutover.clock().instant().getEpochSecond();
        return cutover.post("/slack/events", body, Map.of("X-Slack-Request-Timestamp", Long.toString(now),
                "X-Slack-Signature", Signatures.slack(RunningCutover.SIGNING_SECRET, now, body),
                "Connection", "close"), FORM);
    }
}
