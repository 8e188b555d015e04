/**
 * From recorded PlanetScale events to Slack. {@link dev.cutover.notify.Outbox} is the loop (journal, parallel
 * lanes, retry and backoff, metrics); {@link dev.cutover.notify.EventDelivery} is what one event means (routing to
 * channels, the card writer, one-line notices, reminders) and can be tested alone. Nothing here runs on the
 * webhook request thread.
 */
package dev.cutover.notify;
