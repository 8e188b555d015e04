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

    /** Slack gives every interaction its own trigger, usable once. */
    private static final java.util.concurrent.atomic.AtomicLong TRIGGERS = new java.util.concurrent.atomic.AtomicLong();

    private SlackPayloads() {}

    private static String trigger() {
        return "1337." + TRIGGERS.incrementAndGet() + ".abcd";
    }

    /**
     * A {@code view_submission}: {@code user} submits the modal {@code view} (as Cutover opened it, echoing its
     * callback_id and private_metadata) with {@code typed} in its name field (null: no field value).
     */
    public static ObjectNode viewSubmission(String user, JsonNode view, String blockId, String actionId, String typed) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "view_submission");
        payload.putObject("team").put("id", FakeSlackApi.TEAM_ID).put("domain", "cutover-test");
        payload.putObject("user").put("id", user).put("username", user.toLowerCase(Locale.ROOT))
                .put("name", user.toLowerCase(Locale.ROOT)).put("team_id", FakeSlackApi.TEAM_ID);
        payload.put("api_app_id", "A0CUTOVER");
        payload.put("token", "legacy");
        payload.put("trigger_id", trigger());
        ObjectNode submitted = view.deepCopy();
        submitted.put("id", "V0MODAL").put("team_id", FakeSlackApi.TEAM_ID).put("app_id", "A0CUTOVER");
        ObjectNode values = submitted.putObject("state").putObject("values");
        if (typed != null) {
            values.putObject(blockId).putObject(actionId).put("type", "plain_text_input").put("value", typed);
        }
        payload.set("view", submitted);
        return payload;
    }

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
        form.put("trigger_id", trigger());
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
        payload.put("trigger_id", trigger());
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
