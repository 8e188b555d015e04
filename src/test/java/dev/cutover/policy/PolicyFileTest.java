package dev.cutover.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.policy.PolicyException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a policy file can be wrong stops start-up with the file, line and column in the message. */
class PolicyFileTest {
    private static final String VALID_ACTIONS =
            "valid actions: approve, comment, deploy, apply, cancel, close, revert, skip_revert, force_cutover, subscribe,"
                    + " admin";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            syntax-error.yml          | 3 | 14 | YAML syntax error: expected ',' or ']'
            tab-indent.yml            | 2 |  1 | YAML syntax error: found character '\\t(TAB)'
            unknown-top-level-key.yml | 2 |  1 | unknown key 'rule' (the top level has default, gated_production, identity, people, queue_blocker_after, require_second_person, rules, second_person_expiry, stuck_cutover_after)
            bad-default.yml           | 1 | 10 | default must be allow or deny, got 'maybe'
            missing-actions.yml       | 5 |  5 | rule 2 has no actions
            missing-databases.yml     | 2 |  5 | rule 1 has no databases
            missing-allow.yml         | 3 |  5 | rule 1 has no allow
            unknown-action.yml        | 4 |  9 | rule 1: unknown action 'deploi'
            read-action.yml           | 2 | 23 | rule 1: 'list' is a read, which everyone may always do
            empty-actions.yml         | 2 | 14 | rule 1: actions is empty
            empty-databases.yml       | 3 | 16 | rule 1: databases is empty
            empty-allow.yml           | 4 | 11 | rule 1: allow is empty
            empty-rules.yml           | 2 |  8 | rules is empty
            no-rules.yml              | 1 |  1 | rules is missing
            empty.yml                 | 1 |  1 | the file is empty
            not-a-mapping.yml         | 1 |  1 | expected the keys default, rules and people at the top level
            actions-not-a-list.yml    | 2 | 14 | rule 1: actions must be a list, e.g. actions: [deploy]
            bad-database-name.yml     | 3 | 17 | rule 1: 'shop, blog' is not a database name
            bad-user-id.yml           | 4 | 20 | rule 1: 'bob' is neither a Slack user ID (U… or W…) nor a user-group ID (S…)
            lowercase-user-id.yml     | 5 |  9 | rule 1: 'u0bob' is neither a Slack user ID
            unknown-rule-key.yml      | 5 |  5 | rule 1: unknown key 'deny' (a rule has actions, databases and allow)
            duplicate-key.yml         | 6 |  1 | duplicate key 'default' (first at line 1)
            group-in-people.yml       | 7 |  3 | 'S0DBAS' in people is not a Slack user ID
            blank-person.yml          | 6 | 10 | U0BOB in people needs a PlanetScale actor id
            display-name-in-people.yml | 6 | 10 | U0BOB in people must be a PlanetScale actor id (such as 4xsz0ql82y4n), not a display name like 'Bob Builder'
            alias.yml                 | 7 | 12 | YAML aliases (*admins) are not supported
            two-documents.yml         | 6 |  1 | only one YAML document is allowed
            """)
    void invalidFile_isRejectedNamingFileLineAndColumn(String name, int line, int column, String what) {
        Path file = PolicyTestFiles.file("invalid/" + name);

        PolicyException e = catchThrowableOfType(PolicyException.class, () -> Policy.load(file));

        assertThat(e).as("loading %s", name).isNotNull();
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.problems()).anySatisfy(problem -> {
            assertThat(problem.line()).isEqualTo(line);
            assertThat(problem.column()).isEqualTo(column);
            assertThat(problem.message()).startsWith(what);
        });
        assertThat(e.getMessage())
                .startsWith("Policy file " + file)
                .contains("line " + line + ", column " + column + ": " + what);
    }

    @Test
    void unknownAction_listsTheValidOnes() {
        PolicyException e = catchThrowableOfType(PolicyException.class,
                () -> PolicyTestFiles.load("invalid/unknown-action.yml"));

        assertThat(e.getMessage()).contains("unknown action 'deploi' (" + VALID_ACTIONS + ")");
    }

    @Test
    void severalProblems_areAllReported_inFileOrder() {
        Path file = PolicyTestFiles.file("invalid/several-problems.yml");

        PolicyException e = catchThrowableOfType(PolicyException.class, () -> Policy.load(file));

        assertThat(e.problems()).extracting(Problem::line).containsExactly(1, 3, 5);
        assertThat(e.getMessage()).isEqualTo("Policy file " + file + " has 3 problems:"
                + "\n  line 1, column 10: default must be allow or deny, got 'sometimes'"
                + "\n  line 3, column 23: rule 1: unknown action 'launch' (" + VALID_ACTIONS + ")"
                + "\n  line 5, column 13: rule 1: 'bob' is neither a Slack user ID (U… or W…) nor a user-group ID (S…)");
    }

    @Test
    void missingFile_isRejectedNamingTheFile(@TempDir Path dir) {
        Path file = dir.resolve("policy.yml");

        PolicyException e = catchThrowableOfType(PolicyException.class, () -> Policy.load(file));

        assertThat(e.getMessage()).isEqualTo("Policy file " + file + ", cannot be read: there is no such file");
    }

    @Test
    void directory_isRejectedAsUnreadable(@TempDir Path dir) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> Policy.load(dir));

        assertThat(e.getMessage()).startsWith("Policy file " + dir + ", cannot be read");
    }

    @Test
    void fileThatIsNotUtf8_isRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yml");
        Files.write(file, new byte[] {'r', 'u', 'l', 'e', 's', ':', ' ', (byte) 0xC3, (byte) 0x28});

        PolicyException e = catchThrowableOfType(PolicyException.class, () -> Policy.load(file));

        assertThat(e.getMessage()).isEqualTo("Policy file " + file + ", cannot be read: it is not UTF-8 text");
    }

    @Test
    void fileWrittenAtRuntime_isLoaded(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yml");
        Files.writeString(file, """
                default: deny
                rules:
                  - actions: [close]
                    databases: ["*"]
                    allow: [W0ZOE]
                people:
                  W0ZOE: actor-zoe
                """);

        Policy policy = Policy.load(file);

        assertThat(policy.check("W0ZOE", "close", "any-db", groupId -> Set.of()).allowed()).isTrue();
        assertThat(policy.check("W0ZOE", "deploy", "any-db", groupId -> Set.of()))
                .isEqualTo(new Decision(false, "default: deny"));
    }

    @Test
    void yamlBooleanLookalikes_areNotAcceptedAsDefault(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yml");
        Files.writeString(file, "default: yes\nrules:\n  - {actions: [deploy], databases: [shop], allow: [U0BOB]}\n");

        PolicyException e = catchThrowableOfType(PolicyException.class, () -> Policy.load(file));

        assertThat(e.getMessage()).endsWith("line 1, column 10: default must be allow or deny, got 'yes'");
    }

    @Test
    void identity_isSharedByDefault_linkedWhenSaid_andNothingElse(@TempDir Path dir) throws IOException {
        String rules = "rules:\n  - {actions: [deploy], databases: [shop], allow: [U0BOB]}\n";
        Path shared = Files.writeString(dir.resolve("shared.yml"), rules);
        Path linked = Files.writeString(dir.resolve("linked.yml"), "identity: linked\n" + rules);
        Path wrong = Files.writeString(dir.resolve("wrong.yml"), "identity: personal\n" + rules);

        assertThat(Policy.load(shared).requiresLinkedIdentity()).isFalse();
        assertThat(Policy.load(linked).requiresLinkedIdentity()).isTrue();
        assertThat(Policy.load(linked).warnings()).isEmpty(); // no people map needed with links
        assertThat(catchThrowableOfType(PolicyException.class, () -> Policy.load(wrong)).getMessage())
                .endsWith("line 1, column 11: identity must be shared or linked, got 'personal'");
    }
}
