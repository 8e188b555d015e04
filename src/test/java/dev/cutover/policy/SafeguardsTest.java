package dev.cutover.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy's friction keys: second person, its expiry, gated production and the moments' thresholds. */
class SafeguardsTest {
    private static final String RULES = """
            rules:
              - actions: [deploy]
                databases: [shop]
                allow: [U0ALICE]
            """;

    @TempDir
    Path directory;

    @Test
    void everyKey_isRead() throws Exception {
        Policy policy = load(RULES + """
                require_second_person: [destructive_deploy, skip_revert, force_cutover]
                second_person_expiry: 45m
                gated_production: [shop]
                queue_blocker_after: 2h
                stuck_cutover_after: 90s
                """);

        Safeguards safeguards = policy.safeguards();

        assertThat(safeguards.requireSecondPerson()).containsExactlyInAnyOrder("destructive_deploy", "skip_revert",
                "force_cutover");
        assertThat(safeguards.secondPersonExpiry()).isEqualTo(Duration.ofMinutes(45));
        assertThat(safeguards.isGated("shop")).isTrue();
        assertThat(safeguards.isGated("analytics")).isFalse();
        assertThat(safeguards.queueBlockerAfter()).isEqualTo(Duration.ofHours(2));
        assertThat(safeguards.stuckCutoverAfter()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void withoutTheKeys_theDefaultsHold() throws Exception {
        assertThat(load(RULES).safeguards()).isEqualTo(Safeguards.DEFAULT);
        assertThat(Safeguards.DEFAULT.secondPersonExpiry()).isEqualTo(Duration.ofMinutes(30));
        assertThat(Policy.allowAll().safeguards()).isEqualTo(Safeguards.DEFAULT);
    }

    @Test
    void unknownSecondPersonAction_isAnErrorAtItsLineAndColumn() {
        assertThatThrownBy(() -> load(RULES + "require_second_person: [destructive_deploy, launch]\n"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("line 5, column 45").hasMessageContaining("unknown action 'launch'")
                .hasMessageContaining("destructive_deploy");
    }

    @Test
    void malformedDuration_isAnErrorAtItsLineAndColumn() {
        assertThatThrownBy(() -> load(RULES + "second_person_expiry: soon\n"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("line 5, column 23")
                .hasMessageContaining("second_person_expiry must be a duration such as 30s, 30m, 2h or 1d, got 'soon'");
    }

    private Policy load(String text) throws Exception {
        Path file = directory.resolve("policy.yml");
        Files.writeString(file, text);
        return Policy.load(file);
    }
}
