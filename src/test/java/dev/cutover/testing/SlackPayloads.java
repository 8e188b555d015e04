package dev.cutover.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What Slack sends for a slash command and a button click, once: posted as a signed form to {@code /slack/events}
 * ({@link SlackRequests}, {@link RunningCutover}) or pushed as a Socket Mode envelope ({@link FakeSocketMode}).
 */
public final class SlackPayloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackPayloads() {}

    /** The fields of {@code /pscale <text>} typed by {@code user} in {@code channel}. */
    public static Map<String, String> command(String user, String channel, String text, String responseUrl) {
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
        return form;
    }

    /**
     * A {@code block_actions} payload: a click on a button of a message in {@code channel} (ts {@code messageTs});
     * {@code blocks} are the clicked message's blocks as Slack echoes them (may be null).
     */
    public static ObjectNode click(String user, String channel, String messageTs, boolean ephemeral, String actionId,
            String value, JsonNode blocks, String responseUrl) {
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
        return payload;
    }
}
