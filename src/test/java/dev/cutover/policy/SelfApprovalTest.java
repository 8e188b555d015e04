package dev.cutover.policy;

import static dev.cutover.policy.PolicyTestFiles.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.RequestState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Everyone shares one service token, so PlanetScale's own no-self-approval rule has to be enforced here. */
class SelfApprovalTest {
    @Test
    void authorMappedByActorId_isRefused() {
        Policy policy = load("example.yml"); // U0BOB: 4xsz0ql82y4n

        Optional<String> conflict = policy.selfApprovalConflict("U0BOB",
                openedBy(new Actor("4xsz0ql82y4n", "Bob Builder")));

        assertThat(conflict).hasValue("you opened shop#7 (as Bob Builder), and a deploy request must be approved"
                + " by someone other than its author");
    }

    @Test
    void authorsDisplayName_playsNoPart_whateverItIs() {
        Policy policy = load("example.yml");

        assertThat(policy.selfApprovalConflict("U0BOB", openedBy(new Actor("4xsz0ql82y4n", "Anyone Else"))))
                .isPresent();
        assertThat(policy.selfApprovalConflict("U0BOB", openedBy(new Actor("other0000001", "4xsz0ql82y4n"))))
                .isEmpty();
    }

    @Test
    void actorIds_areComparedExactly() {
        Policy policy = load("first-match.yml"); // U0ALICE: actor-alice

        assertThat(policy.selfApprovalConflict("U0ALICE", openedBy(new Actor("ACTOR-ALICE", "Alice")))).isEmpty();
        assertThat(policy.selfApprovalConflict("U0ALICE", openedBy(new Actor("actor-alice ", "Alice")))).isEmpty();
        assertThat(policy.selfApprovalConflict("U0ALICE", openedBy(new Actor("actor-alice", "Alice")))).isPresent();
    }

    @Test
    void mappedUserWhoDidNotOpenTheRequest_hasNoConflict() {
        Policy policy = load("example.yml");

        Optional<String> conflict = policy.selfApprovalConflict("U0BOB", openedBy(new Actor("actor-a1", "Alice")));

        assertThat(conflict).isEmpty();
    }

    @Test
    void unmappedUser_hasNoConflict_evenWhenTheAuthorsNameLooksLikeTheirs() {
        Policy policy = load("example.yml");

        Optional<String> conflict = policy.selfApprovalConflict("U0DANA", openedBy(new Actor("U0DANA", "Bob Builder")));

        assertThat(conflict).isEmpty();
    }

    @Test
    void authorWithoutNameOrId_neverMatches() {
        Policy policy = load("example.yml");

        Optional<String> conflict = policy.selfApprovalConflict("U0BOB", openedBy(new Actor("", " ")));

        assertThat(conflict).isEmpty();
    }

    @Test
    void allowAll_cannotTellAuthors_soHasNoConflict() {
        Optional<String> conflict =
                Policy.allowAll().selfApprovalConflict("U0BOB", openedBy(new Actor("4xsz0ql82y4n", "Bob Builder")));

        assertThat(conflict).isEmpty();
    }

    private static DeployRequest openedBy(Actor author) {
        return new DeployRequest(new DeployRef("acme", "shop", 7), "dr-7", author, "add-index", "main", false,
                RequestState.OPEN, DeploymentState.READY, null, "", "", 0, null, null, null, null, null);
    }
}
