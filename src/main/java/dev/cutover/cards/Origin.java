package dev.cutover.cards;

/** Where a person asked for a card to change: a button on a message, or a typed command. */
public sealed interface Origin {
    /** Answers to the person go here (ephemeral messages can only be changed through it). */
    String responseUrl();

    /**
     * A click on a button of a message.
     *
     * @param channel null when Slack did not say (e.g. an ephemeral message in a DM)
     * @param messageTs null for ephemeral messages, which have no {@code ts} the bot can update
     */
    record Click(String channel, String messageTs, boolean ephemeral, String responseUrl) implements Origin {}

    /** A typed {@code /pscale} write in {@code channel}. */
    record Command(String channel, String responseUrl) implements Origin {}
}
