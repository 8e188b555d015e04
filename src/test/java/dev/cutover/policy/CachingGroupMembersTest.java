package dev.cutover.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.testing.FakeClock;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CachingGroupMembersTest {
    private static final Duration TTL = Duration.ofMinutes(5);

    private final FakeClock clock = new FakeClock();
    private final RecordingGroupMembers slack = new RecordingGroupMembers()
            .with("S0DBAS", "U0DANA")
            .with("S0SRE", "U0SAM");
    private final CachingGroupMembers groups = new CachingGroupMembers(slack, clock, TTL);

    @Test
    void secondLookupWithinTtl_isServedFromTheCache() throws Exception {
        groups.members("S0DBAS");
        clock.advance(TTL.minusSeconds(1));

        assertThat(groups.members("S0DBAS")).containsExactly("U0DANA");
        assertThat(slack.calls("S0DBAS")).isEqualTo(1);
    }

    @Test
    void lookupAfterTtl_fetchesAgain() throws Exception {
        groups.members("S0DBAS");
        clock.advance(TTL);

        groups.members("S0DBAS");

        assertThat(slack.calls("S0DBAS")).isEqualTo(2);
    }

    @Test
    void eachGroup_isFetchedOnItsOwn() throws Exception {
        groups.members("S0DBAS");

        assertThat(groups.members("S0SRE")).containsExactly("U0SAM");
        assertThat(slack.calls("S0DBAS")).isEqualTo(1);
        assertThat(slack.calls("S0SRE")).isEqualTo(1);
    }

    @Test
    void failedLookup_throwsTheSourcesException() {
        slack.failing("S0DBAS");

        assertThatThrownBy(() -> groups.members("S0DBAS"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ratelimited");
    }

    @Test
    void failedLookup_isNotCached_soTheNextLookupAsksAgain() throws Exception {
        slack.failing("S0DBAS");
        assertThatThrownBy(() -> groups.members("S0DBAS")).isInstanceOf(IOException.class);
        slack.recover("S0DBAS");

        assertThat(groups.members("S0DBAS")).containsExactly("U0DANA");
        assertThat(slack.calls("S0DBAS")).isEqualTo(2);
    }

    @Test
    void sourceReturningNull_isAFailure() {
        CachingGroupMembers nullGroups = new CachingGroupMembers(groupId -> null, clock, TTL);

        assertThatThrownBy(() -> nullGroups.members("S0DBAS"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("S0DBAS");
    }

    @Test
    void policyChecks_shareOneFetchPerTtl() {
        Policy policy = PolicyTestFiles.load("example.yml");

        policy.check("U0DANA", "deploy", "shop", groups);
        policy.check("U0MALLORY", "apply", "shop", groups);
        clock.advance(TTL.plusSeconds(1));
        Decision afterExpiry = policy.check("U0DANA", "cancel", "shop", groups);

        assertThat(afterExpiry.allowed()).isTrue();
        assertThat(slack.calls("S0DBAS")).isEqualTo(2);
    }

    @Test
    void policyCheck_whenGroupCannotBeFetchedAndNothingIsCached_deniesNamingTheGroup() {
        Policy policy = PolicyTestFiles.load("example.yml");
        slack.failing("S0DBAS");

        Decision decision = policy.check("U0DANA", "deploy", "shop", groups);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("S0DBAS could not be resolved");
    }

    @Test
    void nonPositiveTtl_isRejected() {
        assertThatThrownBy(() -> new CachingGroupMembers(slack, clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
