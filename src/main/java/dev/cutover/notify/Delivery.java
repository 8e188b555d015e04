package dev.cutover.notify;

import dev.cutover.store.IncomingEvent;

/** Carries one recorded event to Slack; the seam between the outbox loop and what an event means. */
@FunctionalInterface
public interface Delivery {
    /**
     * @throws RetryLater when Slack could not take it now; the loop tries the whole event again later
     * @throws RuntimeException for an event that can never be delivered (it is set aside, not retried)
     */
    void deliver(IncomingEvent event) throws RetryLater;
}
