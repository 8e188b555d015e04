/**
 * Who may do what: the {@code CUTOVER_POLICY_FILE} rules that decide, per Slack user, action and database,
 * whether a write to PlanetScale goes ahead, because every user acts through the same service token. Reads
 * ({@code list}, {@code show}, {@code queue}, {@code help}) are always allowed and never reach the policy.
 */
package dev.cutover.policy;
