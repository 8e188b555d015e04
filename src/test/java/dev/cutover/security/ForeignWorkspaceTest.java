package dev.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.testing.Answers;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code SLACK_TEAM_ID}: a signed slash command or click from another workspace (a Slack Connect channel) is
 * refused in words, and nothing reaches PlanetScale; the bot's own workspace is served as before.
 */
@Timeout(30)
class ForeignWorkspaceTest {
    static final String OTHER_TEAM = "T0OUTSIDE";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox()
            .env("SLACK_TEAM_ID", "T0ELSEWHERE, " + FakeSlackApi.TEAM_ID)
            .afterStart(started -> started.simulator().webhookUrl(null));
    final FakeSlackApi slack = cutover.slack();

    @Test
    void slashCommandFromAnotherWorkspace_isRefusedInTheAnswer_andTouchesNothing() throws Exception {
        RunningCutover.HttpResult answer = cutover.service().slack(RunningCutover.formBody(command(OTHER_TEAM,
                "deploy shop 3",
                slack.responseUrl("outside"))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("serves only its own Slack workspace");
        assertThat(cutover.service().simulator().requests()).isEmpty();
    }

    @Test
    void clickFromAUserOfAnotherWorkspace_isRefusedThroughResponseUrl_andTouchesNothing() throws Exception {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        payload.putObject("team").put("id", FakeSlackApi.TEAM_ID); // the channel's host workspace
        payload.putObject("user").put("id", "U0OUTSIDER").put("username", "outsider").put("team_id", OTHER_TEAM);
        payload.put("api_app_id", "A0CUTOVER");
        payload.putObject("container").put("type", "message").put("message_ts", "1700000000.000100")
                .put("channel_id", "C0SHARED").put("is_ephemeral", false);
        payload.putObject("channel").put("id", "C0SHARED").put("name", "shared");
        payload.put("response_url", slack.responseUrl("click"));
        payload.putArray("actions").addObject().put("action_id", DeployRequestCard.REFRESH_ACTION_ID)
                .put("block_id", "actions").put("value", RunningCutover.ORG + "/shop/3").put("type", "button")
                .put("action_ts", "1700000000.000001");

        RunningCutover.HttpResult ack = cutover.service()
                .slack(RunningCutover.formBody(Map.of("payload", payload.toString())));

        assertThat(ack.status()).isEqualTo(200);
        assertThat(Answers.firstText(slack, "click")).contains("serves only its own Slack workspace");
        assertThat(cutover.service().simulator().requests()).isEmpty();
    }

    @Test
    void theBotsOwnWorkspace_isServed() throws Exception {
        cutover.service().slack(RunningCutover.formBody(command(FakeSlackApi.TEAM_ID, "list",
                slack.responseUrl("own"))));

        assertThat(Answers.firstText(slack, "own")).contains("shop");
    }

    private static Map<String, String> command(String team, String text, String responseUrl) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("team_id", team);
        form.put("team_domain", "somewhere");
        form.put("channel_id", "C0SHARED");
        form.put("user_id", "U0OUTSIDER");
        form.put("user_name", "outsider");
        form.put("command", "/pscale");
        form.put("text", text);
        form.put("api_app_id", "A0CUTOVER");
        form.put("response_url", responseUrl);
        form.put("trigger_id", "1337.42.abcd");
        return form;
    }
}
