package dev.cutover.policy;

import static dev.cutover.policy.PolicyTestFiles.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.deploy.DeployAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyTest {
    private final RecordingGroupMembers groups = new RecordingGroupMembers().with("S0DBAS", "U0DANA", "U0ERIN");

    @Test
    void exampleRule_allowsListedUser() {
        Policy policy = load("example.yml");

        Decision decision = policy.check("U0BOB", "deploy", "shop", groups);

        assertThat(decision).isEqualTo(new Decision(true, "rule 1 (deploy, apply… on shop) allows U0BOB"));
    }

    @Test
    void exampleRule_deniesUnlistedUser_andNamesTheRule() {
        Policy policy = load("example.yml");

        Decision decision = policy.check("U0MALLORY", "revert", "shop", groups);

        assertThat(decision).isEqualTo(new Decision(false, "rule 1 (deploy, apply… on shop) allows only U0BOB, S0DBAS"));
    }

    @Test
    void exampleRule_otherDatabase_fallsToDefaultAllow() {
        Policy policy = load("example.yml");

        Decision decision = policy.check("U0MALLORY", "deploy", "blog", groups);

        assertThat(decision).isEqualTo(new Decision(true, "default: allow"));
    }

    @Test
    void exampleRule_actionNotListed_fallsToDefault() {
        Policy policy = load("example.yml");

        Decision decision = policy.check("U0MALLORY", "approve", "shop", groups);

        assertThat(decision).isEqualTo(new Decision(true, "default: allow"));
    }

    @Test
    void ruleMatchingDatabaseButNotUser_deniesWithoutFallingThrough() {
        Policy policy = load("first-match.yml");

        Decision decision = policy.check("U0BOB", "deploy", "shop", groups);

        assertThat(decision).isEqualTo(new Decision(false, "rule 1 (deploy on shop) allows only U0ALICE"));
    }

    @Test
    void laterRule_decidesWhenEarlierRuleDoesNotMatch() {
        Policy policy = load("first-match.yml");

        Decision decision = policy.check("U0BOB", "deploy", "blog", groups);

        assertThat(decision).isEqualTo(new Decision(true, "rule 2 (deploy, approve on every database) allows U0BOB"));
    }

    @Test
    void wildcardDatabase_matchesAnyDatabase() {
        Policy policy = load("first-match.yml");

        Decision decision = policy.check("U0ALICE", "approve", "inventory", groups);

        assertThat(decision).isEqualTo(
                new Decision(false, "rule 2 (deploy, approve on every database) allows only U0BOB"));
    }

    @Test
    void databaseName_matchesIgnoringCase_soCapitalsCannotSlipPastARule() {
        Policy policy = load("example.yml");

        Decision decision = policy.check("U0MALLORY", "deploy", "Shop", groups);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).startsWith("rule 1 ");
    }

    @Test
    void defaultDeny_refusesActionsNoRuleMatches() {
        Policy policy = load("default-deny.yml");

        Decision decision = policy.check("U0CAROL", "deploy", "shop", groups);

        assertThat(decision).isEqualTo(new Decision(false, "default: deny"));
    }

    @Test
    void defaultDeny_stillAllowsWhatARuleAllows() {
        Policy policy = load("default-deny.yml");

        Decision decision = policy.check("U0CAROL", "comment", "blog", groups);

        assertThat(decision).isEqualTo(new Decision(true, "rule 1 (approve, comment on shop, blog) allows U0CAROL"));
    }

    @Test
    void defaultOmitted_allows() {
        Policy policy = load("no-default.yml");

        Decision decision = policy.check("U0ANYONE", "deploy", "shop", groups);

        assertThat(decision).isEqualTo(new Decision(true, "default: allow"));
    }

    @Test
    void longAllowList_isAbbreviatedInTheReason(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yml");
        Files.writeString(file, """
                rules:
                  - actions: [close]
                    databases: [shop]
                    allow: [U01, U02, U03, U04, U05, U06, U07, S0DBAS]
                """);

        Decision decision = Policy.load(file).check("U0MALLORY", "close", "shop", groups);

        assertThat(decision.reason()).isEqualTo("rule 1 (close on shop) allows only U01, U02, U03, U04, U05, U06 and 2 more");
    }

    @Test
    void subscribe_isGovernedLikeADeployAction() {
        Policy policy = load("no-default.yml");

        Decision dave = policy.check("W0DAVE", Policy.SUBSCRIBE, "shop", groups);
        Decision someoneElse = policy.check("U0ANYONE", Policy.SUBSCRIBE, "shop", groups);

        assertThat(dave.allowed()).isTrue();
        assertThat(someoneElse).isEqualTo(new Decision(false, "rule 1 (subscribe on shop) allows only W0DAVE"));
    }

    @Test
    void groupMember_isAllowedThroughTheGroup() {
        Policy policy = load("example.yml");

        Decision decision = policy.check("U0DANA", "apply", "shop", groups);

        assertThat(decision).isEqualTo(new Decision(true, "rule 1 (deploy, apply… on shop) allows U0DANA through S0DBAS"));
        assertThat(groups.calls("S0DBAS")).isEqualTo(1);
    }

    @Test
    void userListedDirectly_isAllowedWithoutAskingForGroups() {
        Policy policy = load("example.yml");

        policy.check("U0BOB", "apply", "shop", groups);

        assertThat(groups.calls("S0DBAS")).isZero();
    }

    @Test
    void actionNoRuleGoverns_doesNotAskForGroups() {
        Policy policy = load("example.yml");

        policy.check("U0DANA", "comment", "shop", groups);

        assertThat(groups.calls("S0DBAS")).isZero();
    }

    @Test
    void groupLookupFailure_deniesAndSaysTheGroupCouldNotBeResolved() {
        Policy policy = load("example.yml");
        RecordingGroupMembers failing = new RecordingGroupMembers().failing("S0DBAS");

        Decision decision = policy.check("U0DANA", "apply", "shop", failing);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("rule 1 (deploy, apply… on shop) allows only U0BOB, S0DBAS;"
                + " user group S0DBAS could not be resolved, try again shortly");
    }

    @Test
    void groupLookupFailure_doesNotAffectUsersListedDirectly() {
        Policy policy = load("example.yml");
        RecordingGroupMembers failing = new RecordingGroupMembers().failing("S0DBAS");

        Decision decision = policy.check("U0BOB", "apply", "shop", failing);

        assertThat(decision.allowed()).isTrue();
    }

    @Test
    void groupLookupInterrupted_deniesAndKeepsTheInterruptFlag() {
        Policy policy = load("example.yml");
        GroupMembers interrupted = groupId -> {
            throw new InterruptedException("shutting down");
        };

        Decision decision = policy.check("U0DANA", "apply", "shop", interrupted);

        assertThat(decision.allowed()).isFalse();
        assertThat(Thread.interrupted()).isTrue(); // also clears the flag for the next test
    }

    @Test
    void actions_areTheDocumentedNames_inOrder() {
        assertThat(Policy.ACTIONS).containsExactly(
                "approve", "comment", "deploy", "apply", "cancel", "close", "revert", "skip_revert", "force_cutover",
                "subscribe", "admin");
    }

    @Test
    void everyDeployAction_hasAGovernedPolicyName() {
        assertThat(Arrays.stream(DeployAction.values()).map(DeployAction::policyName))
                .allMatch(Policy.ACTIONS::contains);
    }

    /** Callers never ask about reads: they are always allowed, so asking is a bug in the caller. */
    @ParameterizedTest
    @ValueSource(strings = {"list", "show", "queue", "help", "deploi"})
    void check_refusesToJudgeReadsAndUnknownActions(String action) {
        Policy policy = load("default-deny.yml");

        assertThatThrownBy(() -> policy.check("U0CAROL", action, "shop", groups))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + action + "' is not governed");
        assertThat(Policy.ACTIONS).doesNotContain(action);
    }

    @Test
    void allowAll_allowsEveryGovernedAction_andWarns() {
        Policy policy = Policy.allowAll();

        assertThat(policy.isAllowAll()).isTrue();
        assertThat(Policy.ACTIONS).allSatisfy(action ->
                assertThat(policy.check("U0ANYONE", action, "shop", groups).allowed()).isTrue());
        assertThat(policy.warnings()).singleElement().asString().startsWith("no policy file");
    }

    @Test
    void loadedPolicy_isNotAllowAll() {
        Policy policy = load("example.yml");

        assertThat(policy.isAllowAll()).isFalse();
        assertThat(policy.warnings()).isEmpty();
    }

    @Test
    void policyWithoutPeople_warnsThatSelfApprovalCannotBeChecked() {
        Policy policy = load("no-default.yml");

        assertThat(policy.warnings()).containsExactly(PolicyFile.NO_PEOPLE_WARNING);
    }

    @Test
    void loadOrAllowAll_withoutAFile_allowsAll() {
        Policy policy = Policy.loadOrAllowAll(Optional.empty());

        assertThat(policy.isAllowAll()).isTrue();
        assertThat(policy.warnings()).containsExactly(Policy.NO_FILE_WARNING);
    }

    @Test
    void loadOrAllowAll_withAFile_loadsIt() {
        Policy policy = Policy.loadOrAllowAll(Optional.of(PolicyTestFiles.file("default-deny.yml")));

        assertThat(policy.isAllowAll()).isFalse();
        assertThat(policy.check("U0CAROL", "deploy", "shop", groups).allowed()).isFalse();
    }
}
