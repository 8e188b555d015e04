package dev.cutover.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.testing.Answers;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SlackRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit record end to end: every attempted write (allowed, denied by the policy, failed at PlanetScale) is stored
 * with who, as whom, which rule and what PlanetScale answered; {@code /pscale audit} shows it newest first; {@code
 * CUTOVER_AUDIT_LOG} gets one JSON object per line, without secrets. Demo data: shop#3 is approved and ready.
 */
@Timeout(60)
class AuditRecordTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String MALLORY = "U0MALLORY";
    static final String POLICY = "default: deny\nrules:\n  - actions: [deploy, close]\n    databases: [shop]\n"
            + "    allow: [" + ALICE + "]\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path logDir;

    final Path log = logDir.resolve("audit-" + java.util.UUID.randomUUID() + ".jsonl");

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox()
            .file("CUTOVER_POLICY_FILE", "policy.yml", POLICY)
            .env("CUTOVER_AUDIT_LOG", log.toString());
    final FakeSlackApi slack = cutover.slack();
    final AtomicInteger names = new AtomicInteger();
    SlackRequests requests;

    @BeforeEach
    void start() {
        requests = new SlackRequests(cutover.service());
    }

    @Test
    void allowedDeniedAndFailedActions_areRecorded_andShownNewestFirst() throws Exception {
        answer(ALICE, "deploy shop 3");
        answer(MALLORY, "deploy shop 3");
        // The fresh read before the close fails (a 422 is not retried).
        cutover.service().simulator().failNext(422, "{\"code\":\"unprocessable\",\"message\":\"Branch is locked\"}");
        answer(ALICE, "close shop 4");

        String audit = answer(ALICE, "audit shop");

        List<String> lines = audit.lines().filter(line -> line.startsWith("•")).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("<@" + ALICE + ">").contains("close shop#4").contains("*failed*")
                .contains("422").contains("Branch is locked").doesNotContain("pscale_tkn");
        assertThat(lines.get(1)).contains("<@" + MALLORY + ">").contains("deploy shop#3").contains("*denied*")
                .contains("rule 1");
        assertThat(lines.get(2)).contains("<@" + ALICE + ">").contains("deploy shop#3").contains("*done*")
                .contains("service token").contains("rule 1");
    }

    @Test
    void auditOfOneDeployRequest_showsOnlyIt() throws Exception {
        answer(ALICE, "deploy shop 3");
        answer(MALLORY, "close shop 2");

        String audit = answer(ALICE, "audit shop#2");

        assertThat(audit.lines().filter(line -> line.startsWith("•")).toList()).singleElement()
                .satisfies(line -> assertThat(line).contains("close shop#2").contains("*denied*"));
    }

    @Test
    void auditLog_streamsOneJsonObjectPerLine_withoutSecrets() throws Exception {
        answer(ALICE, "deploy shop 3");
        answer(MALLORY, "deploy shop 3");

        Path file = log;
        List<JsonNode> objects = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            objects.add(JSON.readTree(line));
        }

        assertThat(objects).hasSize(2);
        assertThat(objects.get(0).path("slack_user_id").asText()).isEqualTo(ALICE);
        assertThat(objects.get(0).path("slack_team_id").asText()).isEqualTo(FakeSlackApi.TEAM_ID);
        assertThat(objects.get(0).path("action").asText()).isEqualTo("deploy");
        assertThat(objects.get(0).path("outcome").asText()).isEqualTo("done");
        assertThat(objects.get(0).path("identity").asText()).isEqualTo("service_token");
        assertThat(objects.get(0).path("database").asText()).isEqualTo("shop");
        assertThat(objects.get(0).path("deploy_request").asInt()).isEqualTo(3);
        assertThat(objects.get(0).has("confirmation")).isTrue();
        assertThat(objects.get(1).path("outcome").asText()).isEqualTo("denied");
        assertThat(objects.get(1).path("policy_rule").asText()).contains("rule 1");
        assertThat(Files.readString(file)).doesNotContain("sandbox-webhook-secret").doesNotContain(
                RunningCutover.SIGNING_SECRET);
    }

    @Test
    void retention_dropsEntriesOlderThanCutoverAuditRetention_only() throws Exception {
        answer(MALLORY, "deploy shop 3");
        cutover.clock().advance(java.time.Duration.ofDays(399));
        answer(MALLORY, "close shop 3");

        cutover.clock().advance(java.time.Duration.ofDays(2)); // the first is 401 days old, the second 2
        int purged = cutover.service().cutover().purgeAuditNow();
        String audit = answer(ALICE, "audit shop#3");

        assertThat(purged).isEqualTo(1);
        assertThat(audit.lines().filter(line -> line.startsWith("•")).toList()).singleElement()
                .satisfies(line -> assertThat(line).contains("close shop#3"));
    }

    @Test
    void pagedAudit_offersTheOlderPage() throws Exception {
        for (int i = 0; i < 22; i++) {
            answer(MALLORY, "deploy shop 3");
        }

        String first = answer(ALICE, "audit shop");
        String older = first.substring(first.indexOf("--before ") + "--before ".length()).strip();
        String second = answer(ALICE, "audit shop --before " + older.replaceAll("[^0-9].*", ""));

        assertThat(first.lines().filter(line -> line.startsWith("•"))).hasSize(AuditTrail.PAGE);
        assertThat(first).contains("Older: `/pscale audit shop --before");
        assertThat(second.lines().filter(line -> line.startsWith("•"))).hasSize(2);
    }

    private String answer(String user, String text) throws Exception {
        String name = "answer-" + names.incrementAndGet();
        if (SlackRequests.isWrite(text)) {
            // A typed write asks first: carried through its confirm step, as the person would.
            return Cards.text(requests.write(slack, user, CHANNEL, text, slack.responseUrl(name)));
        }
        RunningCutover.HttpResult ack = requests.command(user, CHANNEL, text, slack.responseUrl(name));
        assertThat(ack.status()).isEqualTo(200);
        return Answers.firstText(slack, name);
    }
}
