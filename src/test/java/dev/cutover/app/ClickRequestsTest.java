package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import dev.cutover.testing.SlackPayloads;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared-Gson click must be indistinguishable from the one Bolt builds itself. */
class ClickRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestHeaders HEADERS = new RequestHeaders(new HashMap<>());
    private static final AppConfig CONFIG = AppConfig.builder().singleTeamBotToken("xoxb-test").build();

    @Test
    void aClick_readsAsBoltReadsIt_payloadAndContext() throws Exception {
        ObjectNode payload = SlackPayloads.click("U0ALICE", "C0DEPLOYS", "1700000000.000100", false, "cutover:approve",
                "org/shop/7", JSON.readTree("[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"hi\"}}]"),
                "https://hooks.slack.com/actions/T0/1/abc");
        payload.putObject("enterprise").put("id", "E0GRID");
        payload.putObject("function_data").put("execution_id", "Fx1");
        payload.put("bot_access_token", "xwfp-1");
        String json = payload.toString();
        String body = "payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8);

        BlockActionRequest ours = ClickRequests.fromForm(body, HEADERS, CONFIG, "127.0.0.1");
        BlockActionRequest bolts = new BlockActionRequest(body, json, HEADERS);
        bolts.updateContext(CONFIG);

        assertThat(ours).isNotNull();
        assertThat(ours.getPayload()).isEqualTo(bolts.getPayload());
        assertThat(ours.getPayload().getActions().get(0).getActionId()).isEqualTo("cutover:approve");
        assertThat(ours.getResponseUrl()).isEqualTo("https://hooks.slack.com/actions/T0/1/abc");
        assertThat(ours.getRequestBodyAsString()).isEqualTo(body);
        assertThat(ours.getClientIpAddress()).isEqualTo("127.0.0.1");
        ActionContext mine = ours.getContext();
        ActionContext theirs = bolts.getContext();
        assertThat(mine.getResponseUrl()).isEqualTo(theirs.getResponseUrl());
        assertThat(mine.getTriggerId()).isEqualTo(theirs.getTriggerId()).matches("1337\\.\\d+\\.abcd"); // one trigger per interaction
        assertThat(mine.getEnterpriseId()).isEqualTo(theirs.getEnterpriseId()).isEqualTo("E0GRID");
        assertThat(mine.getTeamId()).isEqualTo(theirs.getTeamId()).isNotNull();
        assertThat(mine.getRequestUserId()).isEqualTo(theirs.getRequestUserId()).isEqualTo("U0ALICE");
        assertThat(mine.getFunctionExecutionId()).isEqualTo(theirs.getFunctionExecutionId()).isEqualTo("Fx1");
        assertThat(mine.getFunctionBotAccessToken()).isEqualTo(theirs.getFunctionBotAccessToken());
        assertThat(mine.getBotToken()).isEqualTo(theirs.getBotToken()).isEqualTo("xoxb-test");
    }

    @Test
    void aClickWithoutTeam_takesTheUsersTeam_asBoltDoes() {
        String json = "{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\",\"team_id\":\"T9\"},\"actions\":[]}";
        String body = "payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8);

        BlockActionRequest ours = ClickRequests.fromForm(body, HEADERS, CONFIG, "127.0.0.1");
        BlockActionRequest bolts = new BlockActionRequest(body, json, HEADERS);

        assertThat(ours.getContext().getTeamId()).isEqualTo(bolts.getContext().getTeamId()).isEqualTo("T9");
        assertThat(ours.getContext().getEnterpriseId()).isEqualTo(bolts.getContext().getEnterpriseId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"command=%2Fpscale&text=help", "payload=%7B%22type%22%3A%22view_submission%22%7D",
            "payload=not-json", "payload=%5B%5D", "payload=%7B%22type%22%3A%22block_actions%22%7D&extra=1",
            "payload=%ZZ", "ssl_check=1&token=x", ""})
    void anythingButAWellFormedClick_isLeftToBolt(String body) {
        assertThat(ClickRequests.fromForm(body, HEADERS, CONFIG, "127.0.0.1")).isNull();
    }
}
