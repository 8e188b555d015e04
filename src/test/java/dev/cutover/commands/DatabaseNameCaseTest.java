package dev.cutover.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.Answers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SlackRequests;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Database names are case-folded before an action takes its per-deploy-request lock, as PlanetScale folds them:
 * {@code Shop} and {@code shop} are one deploy request, acted on once. In the demo data shop#3 is ready.
 */
@Timeout(60)
class DatabaseNameCaseTest {
    static final String CHANNEL = "C0DEPLOYS";

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox();
    final FakeSlackApi slack = cutover.slack();
    SlackRequests requests;

    @BeforeEach
    void connect() {
        requests = new SlackRequests(cutover.service());
    }

    @Test
    void deployOfAMixedCaseName_actsOnTheLowercaseDatabase() throws Exception {
        JsonNode answer = requests.write(slack, "U0ALICE", CHANNEL, "deploy SHOP 3", slack.responseUrl("upper"));

        assertThat(Cards.text(answer)).contains("shop#3").doesNotContain("SHOP#3");
        assertThat(deploys()).hasSize(1);
    }

    @Test
    void theSameDeployTypedInTwoCasesAtOnce_reachesPlanetScaleOnce() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Object>> both = List.of(
                    () -> requests.write(slack, "U0ALICE", CHANNEL, "deploy Shop 3", slack.responseUrl("a")),
                    () -> requests.write(slack, "U0BOB", CHANNEL, "deploy shop 3", slack.responseUrl("b")));
            clients.invokeAll(both);
        } finally {
            clients.shutdown();
        }

        String first = Cards.text(Answers.nth(slack, "a", 2));
        String second = Cards.text(Answers.nth(slack, "b", 2));

        assertThat(deploys()).hasSize(1);
        assertThat(List.of(first, second)).allSatisfy(text -> assertThat(text).contains("shop#3"));
    }

    private List<?> deploys() {
        return cutover.service().simulator().requests().stream().filter(r -> r.method().equals("POST")
                && r.path().equals("/v1/organizations/" + RunningCutover.ORG + "/databases/shop/deploy-requests/3/deploy"))
                .toList();
    }
}
