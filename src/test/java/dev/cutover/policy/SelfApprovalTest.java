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
    void authorMappedByDisplayName_isRefused() {
        Policy policy = load("example.yml"); // U0BOB: "Bob Builder"

        Optional<String> conflict = policy.selfApprovalConflict("U0BOB", openedBy(new Actor("actor-b0b", "Bob Builder")));

        assertThat(conflict).hasValue("you opened shop#7 (as Bob Builder), and a deploy request must be approved"
                + " by someone other than its author");
    }

    @Test
    void displayName_isComparedIgnoringCaseAndSurroundingSpaces() {
        Policy policy = load("example.yml");

        Optional<String> conflict = policy.selfApprovalConflict("U0BOB", openedBy(new Actor("actor-b0b", "  bob BUILDER ")));

        assertThat(conflict).isPresent();
    }

    @Test
    void authorMappedByActorId_isRefused_ignoringCase() {
        Policy policy = load("first-match.yml"); // U0ALICE: actor-alice

        Optional<String> conflict = policy.selfApprovalConflict("U0ALICE", openedBy(new Actor("ACTOR-Alice", "Alice A.")));

        assertThat(conflict).hasValueSatisfying(reason -> assertThat(reason).contains("shop#7", "Alice A."));
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
                Policy.allowAll().selfApprovalConflict("U0BOB", openedBy(new Actor("actor-b0b", "Bob Builder")));

        assertThat(conflict).isEmpty();
    }

    private static DeployRequest openedBy(Actor author) {
        return new DeployRequest(new DeployRef("acme", "shop", 7), "dr-7", author, "add-index", "main", false,
                RequestState.OPEN, DeploymentState.READY, null, "", "", 0, null, null, null, null, null);
    }
}
