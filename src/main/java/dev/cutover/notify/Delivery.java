package dev.cutover.notify;

import dev.cutover.store.IncomingEvent;
import java.util.List;

/** Carries one recorded event to Slack; the seam between the outbox loop and what an event means. */
@FunctionalInterface
public interface Delivery {
    /**
     * @throws RetryLater when Slack could not take it now; the loop tries the whole event again later
     * @throws RuntimeException for an event that can never be delivered (it is set aside, not retried)
     */
    void deliver(IncomingEvent event) throws RetryLater;

    /**
     * Delivers the first of {@code events} and, where that helps (Slack's pace is backed up), the ones after it
     * together with it. {@code events} are consecutive pending events of one deploy request, oldest first.
     *
     * @return how many of {@code events}, counted from the first, are now delivered (at least 1); the rest stay
     *     pending and come back, so a delivery may safely do less than it was offered
     * @throws RetryLater as {@link #deliver}; nothing counts as delivered then (a retry must be idempotent)
     */
    default int deliverTogether(List<IncomingEvent> events) throws RetryLater {
        deliver(events.get(0));
        return 1;
    }
}
