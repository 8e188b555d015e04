package dev.cutover.commands;

import com.slack.api.model.block.LayoutBlock;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers to the person who typed a command or clicked a button, through the request's {@code response_url}
 * (which works in DMs and private channels the bot is not in).
 */
final class Replies {
    private static final Logger log = LoggerFactory.getLogger(Replies.class);

    private final SlackPoster poster;

    Replies(SlackPoster poster) {
        this.poster = poster;
    }

    /** A short ephemeral answer only the person sees. */
    void tell(String responseUrl, String text) {
        send(responseUrl, text, List.of(), false, false);
    }

    /** A private answer with blocks (a button) next to its text. */
    void tell(String responseUrl, String text, List<LayoutBlock> blocks) {
        send(responseUrl, text, blocks, false, false);
    }

    /** A short answer the whole channel sees (e.g. a subscription change). */
    void announce(String responseUrl, String text) {
        send(responseUrl, text, List.of(), false, true);
    }

    /** A card (or list) answer; {@code inChannel} shows it to the whole channel. */
    void card(String responseUrl, DeployRequestCard.Card card, boolean inChannel, boolean replaceOriginal) {
        send(responseUrl, card.text(), card.blocks(), replaceOriginal, inChannel);
    }

    private void send(String responseUrl, String text, List<LayoutBlock> blocks, boolean replace, boolean inChannel) {
        try {
            poster.respond(responseUrl, text, blocks, replace, inChannel);
        } catch (SlackPostException e) {
            // response_url works 5 times within 30 minutes; past that there is nobody left to tell.
            log.warn("Could not answer through response_url: {}", e.error());
        }
    }
}
