/**
 * From recorded webhook events to Slack: routing to channels, one living thread per deploy request per
 * channel (the card updated in place, a reply per transition), and revert-window reminders. Everything here
 * runs on the outbox worker's thread, never on the webhook request thread.
 */
package dev.cutover.notify;
