package dev.cutover.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.deploy.Actor;
import dev.cutover.sandbox.DeployRequestSeed;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Self-approval cannot be renamed around: {@code people} maps Slack users to PlanetScale actor ids, so an author who
 * changes their display name (the attacks that beat name matching: double space, no-break space, zero-width space,
 * a full-width letter, a trailing dot) is still their deploy request's author, end to end against the sandbox.
 */
@Timeout(60)
class RenamedAuthorTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String DANA = "U0DANA";
    static final String DANA_ACTOR_ID = "dana-okafor";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().file("CUTOVER_POLICY_FILE", "policy.yml",
            String.join("\n",
                    "rules:",
                    "  - actions: [approve]",
                    "    databases: [\"*\"]",
                    "    allow: [" + DANA + "]",
                    "people:",
                    "  " + DANA + ": " + DANA_ACTOR_ID,
                    ""));
    final FakeSlackApi slack = cutover.slack();
    SlackRequests requests;
    final AtomicInteger names = new AtomicInteger();

    @BeforeEach
    void connect() {
        requests = new SlackRequests(cutover.service());
    }

    @ParameterizedTest(name = "display name {0}")
    @ValueSource(strings = {"Dana Okafor", "Dana  Okafor", "Dana\u00a0Okafor", "Dana\u200bOkafor", "D\uff41na Okafor",
            "Dana Okafor.", "Someone Else Entirely"})
    void anAuthorWithAnyDisplayName_cannotApproveTheirOwnRequest(String displayName) throws Exception {
        int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of("shop",
                "renamed-" + names.incrementAndGet(), new Actor(DANA_ACTOR_ID, displayName),
                List.of("ALTER TABLE orders ADD COLUMN note TEXT")));

        String answer = answer(DANA, "approve shop " + number);

        assertThat(answer).contains("not allowed to approve").contains("you opened shop#" + number);
        assertThat(cutover.service().simulator().requests()).noneMatch(r -> r.method().equals("POST")
                && r.path().endsWith("/deploy-requests/" + number + "/reviews"));
    }

    @Test
    void show_printsTheAuthorsActorId_forThePolicyFile() throws Exception {
        int number = cutover.service().simulator().createDeployRequest(DeployRequestSeed.of("shop", "show-id",
                new Actor(DANA_ACTOR_ID, "Dana Okafor"), List.of("ALTER TABLE orders ADD COLUMN note TEXT")));

        String name = "show-" + names.incrementAndGet();
        requests.command(DANA, CHANNEL, "show shop " + number, slack.responseUrl(name));

        assertThat(Answers.first(slack, name).toString()).contains("actor id: `" + DANA_ACTOR_ID + "`");
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
}
