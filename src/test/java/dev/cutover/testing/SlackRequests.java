package dev.cutover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;

/**
 * The same signed slash commands and clicks as {@link RunningCutover#command} and {@link RunningCutover#click},
 * sent with {@code Connection: close}. RunningCutover's own client keeps its connection alive, and Jetty's
 * graceful stop then waits about 2 s for that idle connection in every {@code close()}; suites that start the
 * service once per test use this instead to stay fast.
 */
public final class SlackRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final RunningCutover cutover;

    public SlackRequests(RunningCutover cutover) {
        this.cutover = cutover;
    }

    /** {@code /pscale <text>} typed by {@code user} in {@code channel}; answers go to {@code responseUrl}. */
    public RunningCutover.HttpResult command(String user, String channel, String text, String responseUrl)
            throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "legacy");
        form.put("team_id", FakeSlackApi.TEAM_ID);
        form.put("team_domain", "cutover-test");
        form.put("channel_id", channel);
        form.put("channel_name", "deploys");
        form.put("user_id", user);
        form.put("user_name", user.toLowerCase(Locale.ROOT));
        form.put("command", "/pscale");
        if (text != null) {
            form.put("text", text);
        }
        form.put("api_app_id", "A0CUTOVER");
        form.put("response_url", responseUrl);
        form.put("trigger_id", "1337.42.abcd");
        return post(RunningCutover.formBody(form));
    }

    /**
     * A click on a button of a message in {@code channel} (ts {@code messageTs}); {@code blocks} are the clicked
     * message's blocks as Slack echoes them (may be null).
     */
    public RunningCutover.HttpResult click(String user, String channel, String messageTs, boolean ephemeral,
            String actionId, String value, JsonNode blocks, String responseUrl) throws IOException {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        payload.putObject("team").put("id", FakeSlackApi.TEAM_ID).put("domain", "cutover-test");
        payload.putObject("user").put("id", user).put("username", user.toLowerCase(Locale.ROOT))
                .put("name", user.toLowerCase(Locale.ROOT)).put("team_id", FakeSlackApi.TEAM_ID);
        payload.put("api_app_id", "A0CUTOVER");
        payload.put("token", "legacy");
        payload.putObject("container").put("type", "message").put("message_ts", messageTs)
                .put("channel_id", channel).put("is_ephemeral", ephemeral);
        payload.put("trigger_id", "1337.42.abcd");
        payload.putObject("channel").put("id", channel).put("name", "deploys");
        ObjectNode message = payload.putObject("message");
        message.put("type", "message").put("ts", messageTs).put("text", "card");
        if (blocks != null) {
            message.set("blocks", blocks);
        }
        payload.put("response_url", responseUrl);
        payload.putArray("actions").addObject().put("action_id", actionId).put("block_id", "actions")
                .put("value", value).put("type", "button").put("action_ts", "1700000000.000001");
        return post(RunningCutover.formBody(Map.of("payload", payload.toString())));
    }

    private RunningCutover.HttpResult post(byte[] body) throws IOException {
        long now = cutover.clock().instant().getEpochSecond();
        return cutover.post("/slack/events", body, Map.of("X-Slack-Request-Timestamp", Long.toString(now),
                "X-Slack-Signature", Signatures.slack(RunningCutover.SIGNING_SECRET, now, body),
                "Connection", "close"), FORM);
    }
}
