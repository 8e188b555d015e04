/**
 * Performing deploy-request actions for a Slack user: the policy, a fresh read of the request, the state
 * table, the self-approval check and exactly one PlanetScale call. Slash commands and buttons both come here;
 * the outcome is data, and the Slack side turns it into words.
 */
package dev.cutover.actions;
