package dev.cutover.commands;

import static dev.cutover.testing.ScriptedPlanetScale.error;
import static dev.cutover.testing.ScriptedPlanetScale.json;
import static dev.cutover.testing.ScriptedPlanetScale.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.deploy.DeployAction;
import dev.cutover.testing.Answers;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.ScriptedPlanetScale;
import dev.cutover.testing.SlackRequests;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a person reads when PlanetScale fails, with a MockWebServer as PlanetScale: every error class gets its
 * own words, a 404 is told apart through {@code GET /organizations}, and a failed write says whether anything
 * changed. The canned deploy request (shop#42) sits in its revert window, so {@code revert} is the write.
 */
@Timeout(60)
class PlanetScaleErrorsTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String SHOP_42 = path("shop", 42, "");

    final ScriptedPlanetScale planetScale = new ScriptedPlanetScale().start();
    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.against(planetScale::apiUrl).closing(planetScale);
    final FakeSlackApi slack = cutover.slack();
    SlackRequests requests;
    private final AtomicInteger names = new AtomicInteger();

    @BeforeEach
    void start() {
        requests = new SlackRequests(cutover.service());
    }

    @Test
    void notFound_whileTheTokenSeesTheOrganization_saysNoSuchRequestOrNoReadAccessOnTheDatabase() throws Exception {
        planetScale.answerNext("GET", SHOP_42, error(404, "not_found", "Not Found"));

        String answer = answer("show shop 42");

        assertThat(answer).contains("No deploy request shop#42").contains("`read_deploy_request` on shop");
        assertThat(planetScale.requests("GET", "/v1/organizations")).hasSize(1);
    }

    @Test
    void notFound_whenTheTokenCannotSeeTheOrganization_saysTheTokenLacksAccessToIt() throws Exception {
        planetScale.organizationVisible(false);
        planetScale.answerNext("GET", SHOP_42, error(404, "not_found", "Not Found"));

        String answer = answer("show shop 42");

        assertThat(answer).contains("service token cannot see the organization " + RunningCutover.ORG)
                .doesNotContain("No deploy request");
    }

    @Test
    void notFound_onAWrite_asksWhetherTheTokenSeesTheOrganizationToo() throws Exception {
        planetScale.organizationVisible(false);
        planetScale.answerNext("GET", SHOP_42, error(404, "not_found", "Not Found"));

        String answer = answer("revert shop 42");

        assertThat(answer).contains("service token cannot see the organization " + RunningCutover.ORG);
        assertThat(planetScale.writes()).isEmpty();
    }

    @Test
    void unauthorized_saysTheCredentialsWereRejectedAndNothingChanged() throws Exception {
        planetScale.answerNext("GET", SHOP_42, error(401, "unauthorized", "Unauthorized"));

        String answer = answer("revert shop 42");

        assertThat(answer).contains("rejected Cutover's credentials (HTTP 401)").contains("nothing was changed");
        assertThat(planetScale.writes()).isEmpty();
    }

    @Test
    void forbidden_onAWrite_namesTheAccessTheTokenNeeds() throws Exception {
        planetScale.answerNext("POST", path("shop", 42, "revert"), error(403, "forbidden", "Forbidden"));

        String answer = answer("revert shop 42");

        assertThat(answer).contains("may not revert shop#42").contains("`create_deploy_request` on shop")
                .contains("nothing was changed");
        assertThat(planetScale.writes()).hasSize(1);
    }

    @Test
    void unprocessable_showsPlanetScalesMessageAndThatNothingChanged() throws Exception {
        planetScale.answerNext("POST", path("shop", 42, "revert"),
                error(422, "unprocessable", "Revert is not possible: rows no longer fit the old schema"));

        String answer = answer("revert shop 42");

        assertThat(answer).contains("PlanetScale refused to revert shop#42: Revert is not possible: rows no longer"
                + " fit the old schema").contains("Nothing was changed");
        assertThat(planetScale.writes()).hasSize(1);
    }

    @Test
    void unprocessable_whenTheRefetchShowsTheRequestMovedOn_explainsFromTheNewState() throws Exception {
        // Read for the confirm step, on the modal's submission and before the write: still in the revert window.
        planetScale.answerNext("GET", SHOP_42,
                json(200, ScriptedPlanetScale.deployRequest("shop", 42, "complete_pending_revert").toString()),
                json(200, ScriptedPlanetScale.deployRequest("shop", 42, "complete_pending_revert").toString()),
                json(200, ScriptedPlanetScale.deployRequest("shop", 42, "complete_pending_revert").toString()));
        planetScale.deploymentState("shop", 42, "in_progress_revert"); // every later read
        planetScale.answerNext("POST", path("shop", 42, "revert"), error(422, "unprocessable", "Unprocessable"));

        String answer = answer("revert shop 42");

        assertThat(answer).contains("shop#42 is not in its revert window (it is reverting)");
        assertThat(planetScale.requests("GET", SHOP_42)).hasSize(4);
    }

    @Test
    void serverError_onAWrite_saysPlanetScaleIsUnavailableAndNothingChanged() throws Exception {
        planetScale.answerNext("POST", path("shop", 42, "revert"), error(500, "internal", "Internal Server Error"));

        String answer = answer("revert shop 42");

        assertThat(answer).contains("PlanetScale is unavailable right now (HTTP 500); nothing was changed");
        assertThat(planetScale.writes()).hasSize(1);
    }

    @Test
    void gatewayTimeout_onAWrite_saysTheActionMayOrMayNotHaveHappened_andIsNotResent() throws Exception {
        planetScale.answerNext("POST", path("shop", 42, "revert"), error(504, "", "Gateway Timeout"));

        String answer = answer("revert shop 42");

        assertThat(answer).contains("HTTP 504").contains("may or may not have happened")
                .doesNotContain("nothing was changed");
        assertThat(planetScale.writes()).hasSize(1);
    }

    @Test
    void serviceUnavailable_onARead_isRetriedThenSaysPlanetScaleIsUnavailable() throws Exception {
        MockResponse unavailable = new MockResponse().setResponseCode(503).setBody("upstream connect error");
        planetScale.answerNext("GET", SHOP_42, unavailable, unavailable.clone(), unavailable.clone());

        String answer = answer("show shop 42");

        assertThat(answer).contains("PlanetScale is unavailable right now (HTTP 503); nothing was changed");
        assertThat(planetScale.requests("GET", SHOP_42)).hasSize(3);
    }

    @Test
    void rateLimited_saysSoAndThatNothingChanged() throws Exception {
        MockResponse limited = error(429, "rate_limited", "Too Many Requests").setHeader("Retry-After", "0");
        planetScale.answerNext("GET", SHOP_42, limited, limited.clone(), limited.clone());

        String answer = answer("revert shop 42");

        assertThat(answer).contains("PlanetScale is rate limiting Cutover; nothing was changed");
        assertThat(planetScale.writes()).isEmpty();
    }

    @Test
    void clickWhilePlanetScaleFails_tellsTheClickerAndLeavesTheCard() throws Exception {
        planetScale.answerNext("GET", SHOP_42, error(500, "internal", ""), error(500, "internal", ""),
                error(500, "internal", ""));

        requests.click(ALICE, CHANNEL, "1700000001.000001", false, DeployAction.REVERT.actionId(),
                RunningCutover.ORG + "/shop/42", null, slack.responseUrl("click"));

        JsonNode answer = Answers.first(slack, "click");
        assertThat(Cards.text(answer)).contains("PlanetScale is unavailable right now (HTTP 500)");
        assertThat(answer.path("replace_original").asBoolean()).isFalse();
        assertThat(slack.calls("chat.update")).isEmpty();
        assertThat(planetScale.writes()).isEmpty();
    }

    /**
     * Both timeouts in one test, run side by side, because the client's read timeout is a fixed 10 s: a read
     * that times out (its retries fail at once) changed nothing; a write that times out may have happened.
     */
    @Test
    void timeouts_aReadSaysNothingChanged_aWriteSaysItMayOrMayNotHaveHappened() throws Exception {
        MockResponse silent = new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        MockResponse hangUp = new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START);
        planetScale.answerNext("GET", path("shop", 43, ""), silent, hangUp, hangUp.clone());
        planetScale.answerNext("POST", path("shop", 44, "revert"), silent.clone());

        requests.command(ALICE, CHANNEL, "show shop 43", slack.responseUrl("read"));
        requests.typedWrite(slack, ALICE, CHANNEL, "revert shop 44", slack.responseUrl("write")); // confirmed

        assertThat(Cards.text(Answers.first(slack, "read", Duration.ofSeconds(20))))
                .contains("Could not reach PlanetScale to load shop#43; nothing was changed");
        await().atMost(Duration.ofSeconds(20)).until(() -> slack.responses("write").size() >= 2);
        assertThat(Cards.text(slack.responses("write").get(1).body()))
                .contains("Could not reach PlanetScale to revert shop#44").contains("may or may not have happened");
        assertThat(planetScale.requests("POST", path("shop", 44, "revert"))).hasSize(1);
    }

    private String answer(String text) throws Exception {
        String name = "answer-" + names.incrementAndGet();
        if (SlackRequests.isWrite(text)) {
            return Cards.text(requests.write(slack, ALICE, CHANNEL, text, slack.responseUrl(name)));
        }
        RunningCutover.HttpResult ack = requests.command(ALICE, CHANNEL, text, slack.responseUrl(name));
        assertThat(ack.status()).isEqualTo(200);
        return Answers.firstText(slack, name);
    }
}
