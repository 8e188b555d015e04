package dev.cutover.store;

import java.util.Optional;

/**
 * Slack's per-channel posting pace kept in the database, so that every replica takes its slots from one bucket per
 * channel. The pacing rule itself stays in {@code slack.ChannelPacer}; this only stores its state and runs each
 * decision with the channel locked against every other replica.
 */
public interface ChannelPaces {
    /** A channel's pace as stored: its theoretical arrival time and the slot booked for one post, if any. */
    record State(Optional<Long> arrivalNanos, Optional<Long> bookedSlotNanos) {}

    /**
     * What a decision leaves behind.
     *
     * @param arrivalNanos the channel's new arrival time (empty: unchanged)
     * @param booking the post's booked slot afterwards (empty: none; it is removed if it was there)
     * @param dropChannelBookings forget every slot booked in the channel (after Slack said "slow down")
     * @param answer what the decision returns to its caller
     */
    record Change<T>(Optional<Long> arrivalNanos, Optional<Long> booking, boolean dropChannelBookings, T answer) {}

    /** One pacing decision over a channel's stored state. */
    @FunctionalInterface
    interface Decision<T> {
        Change<T> decide(State state);
    }

    /**
     * Runs {@code decision} with {@code channel}'s pace locked for every replica, and stores its change.
     *
     * @param postKey the post asking (its booking is read and replaced), or null for a channel-only decision
     */
    <T> T decide(String channel, String postKey, Decision<T> decision);

    /** The channel's arrival time, if one is stored. */
    Optional<Long> arrivalNanos(String channel);

    /** Whether the post has a booked slot. */
    boolean isBooked(String postKey);
}
