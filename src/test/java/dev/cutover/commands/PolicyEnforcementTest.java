package dev.cutover.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.sandbox.ReceivedRequest;
import dev.cutover.testing.Answers;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SlackRequests;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The policy file ({@code CUTOVER_POLICY_FILE}) enforced end to end against the sandbox: who may deploy,
 * approve and subscribe, user groups resolved through Slack, self-approval, and that a denial never reaches
 * PlanetScale. In the demo data shop#2 was opened by Alice Ng and shop#3 is approved and ready.
 */
@Timeout(60)
class PolicyEnforcementTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String BOB = "U0BOB";
    static final String CAROL = "U0CAROL";
    static final String MALLORY = "U0MALLORY";
    static final String DBAS = "S0DBAS";
    static final String POLICY = String.join("\n",
            "default: deny",
            "rules:",
            "  - actions: [deploy]",
            "    databases: [shop, analytics]",
            "    allow: [" + ALICE + ", " + DBAS + "]",
            "  - actions: [approve]",
            "    databases: [\"*\"]",
            "    allow: [" + ALICE + ", " + BOB + "]",
            "  - actions: [subscribe]",
            "    databases: [\"*\"]",
            "    allow: [" + ALICE + "]",
            "people:",
            "  " + ALICE + ": alice-ng",
            "");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().file("CUTOVER_POLICY_FILE", "policy.yml", POLICY);
    final FakeSlackApi slack = cutover.slack();
    SlackRequests requests;
    private final AtomicInteger names = new AtomicInteger();

    @BeforeEach
    void start() {
        requests = new SlackRequests(cutover.service());
    }

    @Test
    void allowedUser_deploys() throws Exception {
        String answer = answer(ALICE, "deploy shop 3");

        assertThat(answer).contains("<@" + ALICE + "> queued shop#3 for deploy");
        assertThat(requests("POST", "shop", 3, "deploy")).hasSize(1);
    }

    @Test
    void deniedUser_isToldWhichRuleStoppedThem_andNothingReachesPlanetScale() throws Exception {
        String answer = answer(MALLORY, "deploy shop 3");

        assertThat(answer).contains("not allowed to deploy").contains("rule 1 (deploy on shop, analytics)");
        assertThat(cutover.service().simulator().requests()).isEmpty();
        assertThat(cutover.service().simulator().stateOf("shop", 3)).isEqualTo(DeploymentState.READY);
    }

    @Test
    void deniedUser_clickingDeploy_isToldTheRule_andNothingReachesPlanetScale() throws Exception {
        requests.click(MALLORY, CHANNEL, "1700000001.000001", false, DeployAction.DEPLOY.actionId(),
                RunningCutover.ORG + "/shop/3", null, slack.responseUrl("click"));

        assertThat(Answers.firstText(slack, "click")).contains("not allowed to deploy").contains("rule 1");
        assertThat(cutover.service().simulator().requests()).isEmpty();
        assertThat(slack.calls("chat.update")).isEmpty();
    }

    @Test
    void actionNoRuleCovers_fallsToTheDefault_andSaysSo() throws Exception {
        String answer = answer(ALICE, "close shop 2");

        assertThat(answer).contains("not allowed to close").contains("default: deny");
        assertThat(cutover.service().simulator().requests()).isEmpty();
    }

    @Test
    void memberOfAnAllowedUserGroup_deploys() throws Exception {
        slack.userGroup(DBAS, List.of(CAROL));

        String answer = answer(CAROL, "deploy shop 3");

        assertThat(answer).contains("<@" + CAROL + "> queued shop#3 for deploy");
        assertThat(requests("POST", "shop", 3, "deploy")).hasSize(1);
        assertThat(slack.calls("usergroups.users.list")).isNotEmpty()
                .allSatisfy(call -> assertThat(call.param("usergroup")).isEqualTo(DBAS));
    }

    @Test
    void userOutsideTheGroup_isDenied() throws Exception {
        slack.userGroup(DBAS, List.of(CAROL));

        String answer = answer(MALLORY, "deploy shop 3");

        assertThat(answer).contains("not allowed to deploy");
        assertThat(cutover.service().simulator().requests()).isEmpty();
    }

    @Test
    void authorApprovingTheirOwnRequest_isRefusedWithoutAReview() throws Exception {
        String answer = answer(ALICE, "approve shop 2");

        assertThat(answer).contains("not allowed to approve").contains("you opened shop#2");
        assertThat(requests("POST", "shop", 2, "reviews")).isEmpty();
        assertThat(cutover.service().simulator().requests()).noneMatch(r -> !r.method().equals("GET"));
    }

    @Test
    void someoneElseApprovingTheRequest_isAllowed_andTheReviewNamesThem() throws Exception {
        String answer = answer(BOB, "approve shop 2");

        assertThat(answer).contains("<@" + BOB + "> approved shop#2");
        List<ReceivedRequest> reviews = requests("POST", "shop", 2, "reviews");
        assertThat(reviews).hasSize(1);
        JsonNode review = JSON.readTree(reviews.get(0).body());
        assertThat(review.path("body").asText()).contains("u0bob").contains(BOB);
    }

    @Test
    void subscribe_bySomeoneTheRuleDoesNotAllow_isDeniedAndSubscribesNothing() throws Exception {
        String denied = answer(MALLORY, "subscribe shop");
        String subscriptions = answer(MALLORY, "subscriptions");

        assertThat(denied).contains("not allowed to subscribe").contains("rule 3");
        assertThat(subscriptions).contains("This channel follows no database");
        assertThat(cutover.service().simulator().requests()).isEmpty();
    }

    @Test
    void subscribe_bySomeoneTheRuleAllows_subscribes() throws Exception {
        String subscribed = answer(ALICE, "subscribe shop");

        assertThat(subscribed).contains("subscribed this channel to *shop*");
    }

    @Test
    void unsubscribe_isGovernedBySubscribeToo() throws Exception {
        answer(ALICE, "subscribe shop");

        String denied = answer(MALLORY, "unsubscribe shop");
        String subscriptions = answer(MALLORY, "subscriptions");

        assertThat(denied).contains("not allowed to unsubscribe");
        assertThat(subscriptions).contains("*shop*");
    }

    private String answer(String user, String text) throws Exception {
        String name = "answer-" + names.incrementAndGet();
        if (SlackRequests.isWrite(text)) {
            return Cards.text(requests.write(slack, user, CHANNEL, text, slack.responseUrl(name)));
        }
        RunningCutover.HttpResult ack = requests.command(user, CHANNEL, text, slack.responseUrl(name));
        assertThat(ack.status()).isEqualTo(200);
        return Answers.firstText(slack, name);
    }

    private List<ReceivedRequest> requests(String method, String database, int number, String suffix) {
        String path = "/v1/organizations/" + RunningCutover.ORG + "/databases/" + database + "/deploy-requests/"
                + number + "/" + suffix;
        return cutover.service().simulator().requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }
}
