package dev.cutover.notify;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.slack.CardContext;
import dev.cutover.slack.DeployRequestCard;
import dev.cutover.slack.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.CardThread;
import dev.cutover.store.ThreadIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One living Slack thread per deploy request per channel: the first event posts the card as the parent, every
 * later event updates that card in place and adds one reply with the buttons that now apply. Idempotent per
 * event: the thread remembers the last event applied, so a retried event never posts twice.
 */
final class DeployRequestThreads {
    private final SlackPoster poster;
    private final ThreadIndex threads;

    DeployRequestThreads(SlackPoster poster, ThreadIndex threads) {
        this.poster = poster;
        this.threads = threads;
    }

    /** What happened in one channel, for the worker's bookkeeping. */
    enum Applied { POSTED_PARENT, UPDATED_AND_REPLIED, REPLIED_ONLY_STALE, ALREADY_APPLIED }

    /**
     * Applies one event to the deploy request's thread in {@code channel}.
     *
     * @param eventKey the event's dedupe key (remembered as the last event applied)
     * @param slackActor the Slack user whose action through Cutover caused the event, if any
     * @return what was done, and the thread's ts
     */
    Result apply(String channel, String event, String eventKey, DeployRequest request, CardContext context,
            Optional<String> slackActor)
            throws SlackPostException {
        var ref = request.ref();
        Optional<CardThread> existing = threads.find(ref.org(), ref.database(), ref.number(), channel);
        if (existing.isPresent() && eventKey.equals(existing.get().lastEvent())) {
            return new Result(Applied.ALREADY_APPLIED, existing.get().ts());
        }
        Instant updatedAt = request.updatedAt() == null ? Instant.EPOCH : request.updatedAt();
        DeployRequestCard.Card card = DeployRequestCard.render(request, context);
        if (existing.isEmpty()) {
            return postParent(channel, eventKey, request, card, updatedAt);
        }
        CardThread thread = existing.get();
        boolean stale = thread.renderedUpdatedAt() != null && updatedAt.isBefore(thread.renderedUpdatedAt());
        if (!stale) {
            try {
                poster.update(channel, thread.ts(), card.text(), card.blocks());
            } catch (SlackPostException e) {
                if (e.kind() == SlackPostException.Kind.MESSAGE_GONE) {
                    // Someone deleted the parent: start a new thread rather than lose the update.
                    threads.delete(ref.org(), ref.database(), ref.number(), channel);
                    return postParent(channel, eventKey, request, card, updatedAt);
                }
                throw e;
            }
        }
        // A reply per transition, even for a late (older) event: it happened; only the card must not roll back.
        String line = Messages.transition(event, request, slackActor);
        poster.postMessage(channel, line, replyBlocks(line, card, !stale && context.withButtons(), context.sandbox()),
                thread.ts());
        Instant rendered = stale ? thread.renderedUpdatedAt() : updatedAt;
        threads.save(new CardThread(ref.org(), ref.database(), ref.number(), channel, thread.ts(),
                rendered, eventKey));
        return new Result(stale ? Applied.REPLIED_ONLY_STALE : Applied.UPDATED_AND_REPLIED, thread.ts());
    }

    record Result(Applied applied, String threadTs) {}

    private Result postParent(String channel, String eventKey, DeployRequest request, DeployRequestCard.Card card,
            Instant updatedAt) throws SlackPostException {
        var ref = request.ref();
        String ts = poster.postMessage(channel, card.text(), card.blocks(), null);
        threads.save(new CardThread(ref.org(), ref.database(), ref.number(), channel, ts, updatedAt,
                eventKey));
        return new Result(Applied.POSTED_PARENT, ts);
    }

    /** The reply: the transition line plus the card's own buttons (the one renderer decides them). */
    static List<LayoutBlock> replyBlocks(String line, DeployRequestCard.Card card, boolean withButtons,
            boolean sandbox) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(SectionBlock.builder().text(MarkdownTextObject.builder().text(line).build()).build());
        if (sandbox) {
            // Every message says it is the sandbox, replies included.
            blocks.add(ContextBlock.builder().elements(List.of(MarkdownTextObject.builder()
                    .text(Messages.sandboxMarker()).build())).build());
        }
        if (withButtons) {
            card.blocks().stream().filter(ActionsBlock.class::isInstance).findFirst().ifPresent(blocks::add);
        }
        return blocks;
    }
}
