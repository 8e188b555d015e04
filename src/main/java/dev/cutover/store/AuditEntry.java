package dev.cutover.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One attempted write through Cutover, as kept in the audit record: who asked (Slack user and team), as whom it
 * reached PlanetScale, on which deploy request, what the policy said, how it was confirmed and how it ended.
 *
 * @param id assigned by the store; 0 before it is appended
 * @param identity {@code linked} (the person's own PlanetScale token), {@code service_token} or {@code none} (it never
 *     reached PlanetScale)
 * @param planetScaleActor the linked account's actor id and name ({@code "4xsz0ql82y4n (Alice Ng)"}), null otherwise
 * @param policyRule the rule that allowed or denied it, in the policy's own words
 * @param confirmation how the person confirmed (a confirmation level such as {@code button}, {@code typed}), null
 *     when not recorded
 * @param secondPerson the Slack user who confirmed as the second person, null when none was needed
 * @param outcome {@code done}, {@code denied}, {@code needs_link}, {@code not_applicable}, {@code refused} or
 *     {@code failed}
 * @param planetScaleAnswer PlanetScale's answer in short (the state after, or its error status, code and message)
 */
public record AuditEntry(long id, Instant at, String teamId, String slackUserId, String identity,
        String planetScaleActor, String organization, String database, int number, String action, String policyRule,
        String confirmation, String secondPerson, String outcome, String planetScaleAnswer) {
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        teamId = teamId == null ? "" : teamId;
        Objects.requireNonNull(slackUserId, "slackUserId");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(action, "action");
        policyRule = policyRule == null ? "" : policyRule;
        Objects.requireNonNull(outcome, "outcome");
    }

    public AuditEntry withId(long newId) {
        return new AuditEntry(newId, at, teamId, slackUserId, identity, planetScaleActor, organization, database,
                number, action, policyRule, confirmation, secondPerson, outcome, planetScaleAnswer);
    }
}
