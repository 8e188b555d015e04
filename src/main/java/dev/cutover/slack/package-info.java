/**
 * Slack-facing code: Bolt listeners, the card, the wording, delivery to Slack. The card, the wording and the
 * command parser here are pure functions, so every listener shows a deploy request the same way.
 */
package dev.cutover.slack;
