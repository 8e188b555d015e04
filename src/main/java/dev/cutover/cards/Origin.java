package dev.cutover.cards;

import dev.cutover.deploy.DeployAction;

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

    /**
     * A typed {@code /pscale} write in {@code channel}.
     *
     * @param action what was done, which decides whether PlanetScale will report it in the thread itself
     * @param channelFollows the channel gets this database's deploy-request events, so its thread is the public
     *     record and the typer is answered privately
     */
    record Command(String channel, String responseUrl, DeployAction action, boolean channelFollows)
            implements Origin {}
}
