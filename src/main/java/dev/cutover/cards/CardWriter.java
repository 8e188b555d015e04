package dev.cutover.cards;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.PlanetScaleEvent;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.render.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.ActionEntry;
import dev.cutover.store.ActionLog;
import dev.cutover.store.CardThread;
import dev.cutover.store.ThreadIndex;
import dev.cutover.store.ThreadReply;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that posts or updates a deploy request's card and its thread, whoever asks: webhook deliveries,
 * button clicks (on the card, on a thread reply, on an ephemeral card), typed commands and reminders. One card per
 * deploy request per channel; its history comes from the store ({@link Cards}); an older state never replaces a
 * newer one, whichever writer brings it; and when the card moves on, the buttons of earlier replies are retired
 * so nothing stale stays clickable. Work on one card is serialised.
 */
public final class CardWriter {
    private static final Logger log = LoggerFactory.getLogger(CardWriter.class);

    private final SlackPoster poster;
    private final ThreadIndex threads;
    private final ActionLog actions;
    private final Cards cards;
    private final Clock clock;
    /** One lock per card (deploy request and channel); weak values, as in {@code DeployRequestActions}. */
    private final Cache<String, ReentrantLock> locks = Caffeine.newBuilder().weakValues().build();

    public CardWriter(SlackPoster poster, ThreadIndex threads, ActionLog actions, Cards cards, Clock clock) {
        this.poster = poster;
        this.threads = threads;
        this.actions = actions;
        this.cards = cards;
        this.clock = clock;
    }

    /** What an event did in one channel. */
    public enum Applied { POSTED_PARENT, UPDATED_AND_REPLIED, REPLIED_ONLY_STALE, ALREADY_APPLIED, ALREADY_TOLD }

    /**
     * What a call did, and the thread it did it in.
     *
     * @param through how many of the events given, counted from the first, are now applied in this channel
     */
    public record Result(Applied applied, String threadTs, int through) {
        Result(Applied applied, String threadTs) {
            this(applied, threadTs, 1);
        }
    }

    /** One PlanetScale event about a deploy request, as the card writer applies it. */
    public record Transition(PlanetScaleEvent.DeployRequestChanged event, String eventKey) {
        public DeployRequest request() {
            return event.request();
        }

        /** The key remembered as the thread's last event (marked when reconciliation told it). */
        String told() {
            return event.isReconciled() ? eventKey + RECONCILED_MARK : eventKey;
        }
    }

    /**
     * Applies one PlanetScale event to the deploy request's thread in {@code channel}: the first posts the card as
     * the thread's parent; each later one updates the card (unless it is older than what the card shows) and adds
     * a reply with the buttons that now apply. Idempotent per event: a retried event never posts twice. A change
     * that reconciliation and a webhook both report (with different {@code updated_at}, so different keys) is told
     * once: the second only refreshes the card ({@link Applied#ALREADY_TOLD}).
     *
     * @param eventKey the event's dedupe key, remembered as the last event applied
     */
    public Result applyEvent(String channel, PlanetScaleEvent.DeployRequestChanged event, String eventKey)
            throws SlackPostException {
        DeployRequest request = event.request();
        String told = event.isReconciled() ? eventKey + RECONCILED_MARK : eventKey;
        return locked(request.ref(), channel, () -> {
            DeployRef ref = request.ref();
            Optional<CardThread> existing = threads.find(ref.org(), ref.database(), ref.number(), channel);
            if (existing.isPresent() && told.equals(existing.get().lastEvent())) {
                return new Result(Applied.ALREADY_APPLIED, existing.get().ts());
            }
            DeployRequestCard.Card card = cards.card(request);
            if (existing.isEmpty()) {
                return new Result(Applied.POSTED_PARENT, postParent(channel, told, request, card));
            }
            CardThread thread = existing.get();
            boolean stale = isOlderThanCard(request, thread);
            if (isSameChangeSeenTwice(thread.lastEvent(), told)) {
                if (!stale && updateParent(thread, card)) {
                    threads.save(new CardThread(ref.org(), ref.database(), ref.number(), channel, thread.ts(),
                            updatedAt(request), thread.lastEvent()));
                }
                return new Result(Applied.ALREADY_TOLD, thread.ts());
            }
            if (!stale && !updateParent(thread, card)) {
                // Someone deleted the parent: start a new thread rather than lose the update.
                threads.delete(ref.org(), ref.database(), ref.number(), channel);
                return new Result(Applied.POSTED_PARENT, postParent(channel, told, request, card));
            }
            // A reply per transition, even for a late (older) event: it happened; only the card must not roll back.
            Optional<String> slackActor = Credits.slackActorBehind(event.type(), actions.recent(ref, 20),
                    clock.instant());
            String line = Messages.transition(event, slackActor);
            List<ThreadReply> earlier = stale ? List.of() : threads.liveReplies(ref.org(), ref.database(), ref.number(),
                    channel);
            String replyTs = poster.postOnce("reply|" + eventKey + "|" + channel, channel, line,
                    replyBlocks(line, card, !stale), thread.ts());
            threads.save(new CardThread(ref.org(), ref.database(), ref.number(), channel, thread.ts(),
                    stale ? thread.renderedUpdatedAt() : updatedAt(request), told));
            if (!stale) {
                threads.saveReply(ref.org(), ref.database(), ref.number(), new ThreadReply(channel, replyTs, line, true));
                earlier.forEach(reply -> retire(reply, Optional.empty()));
            }
            return new Result(stale ? Applied.REPLIED_ONLY_STALE : Applied.UPDATED_AND_REPLIED, thread.ts());
        });
    }

    /**
     * Applies consecutive events of one deploy request (oldest first) to its thread in {@code channel}. While the
     * channel's posting pace is backed up, all of them are applied together: the card is updated at once to the
     * newest state ({@code chat.update} is not held to the posting pace) and one reply lists every transition, so
     * a busy channel shows each card current and gets one message per deploy request instead of one per event.
     * Otherwise only the first not yet applied is, exactly as {@link #applyEvent}. Idempotent: events already
     * applied here (up to the thread's last event) are skipped, and each post has a once-only key.
     *
     * @throws SlackPostException with error {@code paced} when the reply must wait for its booked slot; the card
     *     already shows the newest state then, and a retry with the same (or more) events posts the reply once
     */
    public Result applyEvents(String channel, List<Transition> events) throws SlackPostException {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events to apply");
        }
        DeployRef ref = events.get(0).request().ref();
        return locked(ref, channel, () -> {
            Optional<CardThread> existing = threads.find(ref.org(), ref.database(), ref.number(), channel);
            int applied = existing.isEmpty() ? 0 : lastIndexOf(events, existing.get().lastEvent()) + 1;
            if (applied == events.size()) {
                return new Result(Applied.ALREADY_APPLIED, existing.get().ts(), applied);
            }
            // Sticky while its post holds a booked slot: a backlog that was coalesced stays coalesced when its slot
            // comes, even if the channel has just caught up.
            Transition first = events.get(applied);
            String nextPost = existing.isEmpty() ? "parent|" + first.told() + "|" + channel
                    : "reply|" + first.eventKey() + "|" + channel;
            if (events.size() - applied == 1 || !poster.isBackedUp(channel, nextPost)) {
                Result one = applyEvent(channel, first.event(), first.eventKey());
                return new Result(one.applied(), one.threadTs(), applied + 1);
            }
            List<Transition> batch = events.subList(applied, events.size());
            int through = events.size();
            Transition newest = newest(batch);
            DeployRequestCard.Card card = cards.card(newest.request());
            boolean cardCurrent = false;
            if (existing.isEmpty()) {
                postParent(channel, first.told(), newest.request(), card);
                // The parent already shows the newest state; the rest of the batch becomes its first reply.
                existing = threads.find(ref.org(), ref.database(), ref.number(), channel);
                batch = batch.subList(1, batch.size());
                cardCurrent = true;
            }
            CardThread thread = existing.orElseThrow();
            boolean stale = isOlderThanCard(newest.request(), thread);
            if (!stale && !cardCurrent) {
                if (!updateParent(thread, card)) {
                    // Someone deleted the parent: start a new thread rather than lose the update.
                    threads.delete(ref.org(), ref.database(), ref.number(), channel);
                    return new Result(Applied.POSTED_PARENT,
                            postParent(channel, batch.get(0).told(), newest.request(), card), through);
                }
                // Remember that the card is current now, even if the reply below has to wait for the pace.
                thread = new CardThread(ref.org(), ref.database(), ref.number(), channel, thread.ts(),
                        updatedAt(newest.request()), thread.lastEvent());
                threads.save(thread);
            }
            // A reply per batch, listing each transition, even late (older) ones: they happened; only the card
            // must not roll back.
            List<ActionEntry> recent = actions.recent(ref, 20);
            Instant now = clock.instant();
            List<String> lines = new ArrayList<>();
            for (Transition transition : batch) {
                lines.add(Messages.transition(transition.event(),
                        Credits.slackActorBehind(transition.event().type(), recent, now)));
            }
            String line = Messages.transitions(lines);
            List<ThreadReply> earlier = stale ? List.of() : threads.liveReplies(ref.org(), ref.database(), ref.number(),
                    channel);
            String replyTs = poster.postOnce("reply|" + batch.get(0).eventKey() + "|" + channel, channel, line,
                    replyBlocks(line, card, !stale), thread.ts());
            threads.save(new CardThread(ref.org(), ref.database(), ref.number(), channel, thread.ts(),
                    stale ? thread.renderedUpdatedAt() : updatedAt(newest.request()), batch.get(batch.size() - 1).told()));
            if (!stale) {
                threads.saveReply(ref.org(), ref.database(), ref.number(), new ThreadReply(channel, replyTs, line, true));
                earlier.forEach(reply -> retire(reply, Optional.empty()));
            }
            return new Result(stale ? Applied.REPLIED_ONLY_STALE : Applied.UPDATED_AND_REPLIED, thread.ts(), through);
        });
    }

    private static int lastIndexOf(List<Transition> events, String told) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).told().equals(told)) {
                return i;
            }
        }
        return -1;
    }

    /** The newest state among {@code batch}; on equal {@code updated_at} the later event wins. */
    private static Transition newest(List<Transition> batch) {
        Transition newest = batch.get(0);
        for (Transition transition : batch) {
            if (!updatedAt(transition.request()).isBefore(updatedAt(newest.request()))) {
                newest = transition;
            }
        }
        return newest;
    }

    /**
     * Whether the thread's last event and this one are the same transition (same event name, same deploy request)
     * with reconciliation on at least one side: a webhook and a reconciliation pass that both saw it. Two webhooks
     * of the same name in a row stay two replies, as before.
     */
    static boolean isSameChangeSeenTwice(String lastTold, String told) {
        if (lastTold == null || !(lastTold.endsWith(RECONCILED_MARK) || told.endsWith(RECONCILED_MARK))) {
            return false;
        }
        String[] last = lastTold.split("\\|", 3);
        String[] now = told.split("\\|", 3);
        return last.length == 3 && now.length == 3 && last[0].equals(now[0]) && last[1].equals(now[1]);
    }

    /** Appended to the remembered key of an event reconciliation brought. */
    static final String RECONCILED_MARK = "|reconciled";

    /** The event names of the card's last told event, for reconciliation to compare with ("" when unknown). */
    public static String lastEventName(CardThread thread) {
        String last = thread.lastEvent();
        if (last == null) {
            return "";
        }
        int bar = last.indexOf('|');
        return bar < 0 ? last : last.substring(0, bar);
    }

    /**
     * Shows a deploy request as a person just saw it change (or asked to see it fresh): the card in the channel's
     * thread is updated, unless it already shows something newer; a clicked thread reply is retired with
     * {@code doneLine}; a clicked message outside the thread (an ephemeral card, a command's answer) is replaced in
     * place. A typed write leaves one public trace: in a channel that follows the database, the thread (started
     * here if there is none yet) is the record, with {@code doneLine} as a reply when PlanetScale will send no event
     * of its own (approve, comment, cancel, unblock), and the typer gets the card privately; elsewhere the card is
     * the command's answer, for the channel to see.
     *
     * @param doneLine "✅ @alice approved shop#7" when an action succeeded: the state moved on, so every reply's
     *     buttons are retired, the clicked one with this line
     */
    public void show(DeployRequest request, Origin origin, Optional<String> doneLine) {
        DeployRef ref = request.ref();
        String channel = origin instanceof Origin.Click click ? click.channel() : ((Origin.Command) origin).channel();
        DeployRequestCard.Card card = cards.card(request);
        if (origin instanceof Origin.Command command && command.channelFollows()) {
            try {
                locked(ref, channel, () -> recordInThread(request, card, command, doneLine));
            } catch (SlackPostException e) {
                log.info("Could not record {} in the thread of {} in {}: {}", command.action(), ref, channel,
                        e.error());
            }
            respond(command.responseUrl(), card, false, false);
            return;
        }
        Optional<CardThread> thread = channel == null ? Optional.empty()
                : threads.find(ref.org(), ref.database(), ref.number(), channel);
        boolean clickedInThread = false;
        if (thread.isPresent()) {
            try {
                clickedInThread = locked(ref, channel, () -> showInThread(request, card, thread.get(), origin,
                        doneLine));
            } catch (SlackPostException e) {
                log.info("Could not update the card of {} in {}: {}", ref, channel, e.error());
            }
        }
        if (!clickedInThread) {
            showAtOrigin(card, origin);
        }
    }

    /** The public record of a typed write in a channel that follows the database: its thread. */
    private Void recordInThread(DeployRequest request, DeployRequestCard.Card card, Origin.Command command,
            Optional<String> doneLine) throws SlackPostException {
        DeployRef ref = request.ref();
        Optional<CardThread> existing = threads.find(ref.org(), ref.database(), ref.number(), command.channel());
        if (existing.isEmpty()) {
            // No thread yet: the card starts it (its history says who did what); PlanetScale's events join it.
            postParent(command.channel(), "typed:" + ref + ":" + command.action().actionId() + ":" + UUID.randomUUID(),
                    request, card);
            return null;
        }
        CardThread thread = existing.get();
        if (!isOlderThanCard(request, thread) && updateParent(thread, card)) {
            threads.save(new CardThread(ref.org(), ref.database(), ref.number(), thread.channelId(), thread.ts(),
                    updatedAt(request), thread.lastEvent()));
        }
        if (doneLine.isPresent() && !Credits.raisesEvent(command.action())) {
            // Nothing from PlanetScale will say this in the thread: the reply does, with the buttons that apply now.
            List<ThreadReply> earlier = threads.liveReplies(ref.org(), ref.database(), ref.number(), thread.channelId());
            // A typed command happens once (Slack does not retry it): a fresh key.
            String ts = poster.postOnce("typed|" + ref + "|" + thread.channelId() + "|" + UUID.randomUUID(),
                    thread.channelId(), doneLine.get(), replyBlocks(doneLine.get(), card, true), thread.ts());
            threads.saveReply(ref.org(), ref.database(), ref.number(),
                    new ThreadReply(thread.channelId(), ts, doneLine.get(), true));
            earlier.forEach(reply -> retire(reply, Optional.empty()));
        }
        return null;
    }

    /** Returns whether the clicked message was the thread's card or one of its replies (so it is handled). */
    private boolean showInThread(DeployRequest request, DeployRequestCard.Card card, CardThread thread, Origin origin,
            Optional<String> doneLine) throws SlackPostException {
        DeployRef ref = request.ref();
        // Re-read under the lock: a webhook may have moved the card on since.
        CardThread current = threads.find(ref.org(), ref.database(), ref.number(), thread.channelId()).orElse(thread);
        if (!isOlderThanCard(request, current) && updateParent(current, card)) {
            threads.save(new CardThread(ref.org(), ref.database(), ref.number(), current.channelId(), current.ts(),
                    updatedAt(request), current.lastEvent()));
        }
        String clickedTs = origin instanceof Origin.Click click && !click.ephemeral() ? click.messageTs() : null;
        Optional<ThreadReply> clickedReply = clickedTs == null ? Optional.empty()
                : threads.reply(current.channelId(), clickedTs);
        if (doneLine.isPresent()) {
            for (ThreadReply reply : threads.liveReplies(ref.org(), ref.database(), ref.number(), current.channelId())) {
                retire(reply, reply.ts().equals(clickedTs) ? doneLine : Optional.empty());
            }
            // The action's own webhook may have retired the clicked reply already; it still gains its line.
            clickedReply.filter(reply -> !reply.live()).ifPresent(reply -> retire(reply, doneLine));
        }
        return current.ts().equals(clickedTs) || clickedReply.isPresent();
    }

    /** Replaces the clicked message in place, or answers a typed command with the card for the channel to see. */
    private void showAtOrigin(DeployRequestCard.Card card, Origin origin) {
        if (origin instanceof Origin.Click click) {
            if (!click.ephemeral() && click.channel() != null && click.messageTs() != null) {
                try {
                    poster.update(click.channel(), click.messageTs(), card.text(), card.blocks());
                    return;
                } catch (SlackPostException e) {
                    log.info("chat.update of {} {} refused ({}); replacing through response_url",
                            click.channel(), click.messageTs(), e.error());
                }
            }
            respond(click.responseUrl(), card, true, false);
        } else {
            // A typed write in a channel that does not follow the database: the card is its one public trace.
            respond(origin.responseUrl(), card, false, true);
        }
    }

    /**
     * Posts a reminder into the deploy request's thread, with the buttons that apply now.
     *
     * @param reminderKey names this reminder, so it is posted once however often it is attempted
     */
    public void remind(String reminderKey, String channel, String threadTs, DeployRequest request, String line)
            throws SlackPostException {
        DeployRef ref = request.ref();
        locked(ref, channel, () -> {
            DeployRequestCard.Card card = cards.card(request);
            List<ThreadReply> earlier = threads.liveReplies(ref.org(), ref.database(), ref.number(), channel);
            String ts = poster.postOnce("reminder|" + reminderKey, channel, line, replyBlocks(line, card, true), threadTs);
            threads.saveReply(ref.org(), ref.database(), ref.number(), new ThreadReply(channel, ts, line, true));
            // The newest message carries the buttons; older ones would only be the same buttons again.
            earlier.forEach(reply -> retire(reply, Optional.empty()));
            return null;
        });
    }

    /**
     * Posts a reply that asks something of people (a second person's confirmation, a blocked queue, a stuck cutover)
     * into {@code ref}'s thread in {@code channel}, once per {@code key}, with its own buttons. It is a live reply:
     * the next change of the deploy request retires its buttons, as it does every reply's.
     *
     * @return the reply's ts, or empty when the channel has no thread of {@code ref}
     */
    public Optional<String> ask(String key, DeployRef ref, String channel, String text, List<LayoutBlock> blocks)
            throws SlackPostException {
        Optional<CardThread> thread = threads.find(ref.org(), ref.database(), ref.number(), channel);
        if (thread.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(locked(ref, channel, () -> {
            String ts = poster.postOnce("ask|" + key, channel, text, blocks, thread.get().ts());
            threads.saveReply(ref.org(), ref.database(), ref.number(), new ThreadReply(channel, ts, text, true));
            return ts;
        }));
    }

    /** Takes the buttons off a reply posted by {@link #ask} and adds {@code line} (it expired, or was answered). */
    public void settle(String channel, String ts, String line) {
        threads.reply(channel, ts).ifPresent(reply -> retire(reply, Optional.of(line)));
    }

    /** Every channel with a thread of {@code ref}, for replies that concern whoever follows it. */
    public List<CardThread> threadsOf(DeployRef ref) {
        return threads.all(ref.org(), ref.database(), ref.number());
    }

    /** The Slack user to mention about {@code ref}'s revert window: whoever deployed it through Cutover. */
    public Optional<String> deployer(DeployRef ref) {
        return Credits.deployer(actions.recent(ref, 20), clock.instant());
    }

    private String postParent(String channel, String eventKey, DeployRequest request, DeployRequestCard.Card card)
            throws SlackPostException {
        DeployRef ref = request.ref();
        String ts = poster.postOnce("parent|" + eventKey + "|" + channel, channel, card.text(), card.blocks(), null);
        threads.save(new CardThread(ref.org(), ref.database(), ref.number(), channel, ts, updatedAt(request),
                eventKey));
        return ts;
    }

    /** Returns false when the parent message is gone (deleted by someone); other failures propagate. */
    private boolean updateParent(CardThread thread, DeployRequestCard.Card card) throws SlackPostException {
        try {
            poster.update(thread.channelId(), thread.ts(), card.text(), card.blocks());
            return true;
        } catch (SlackPostException e) {
            if (e.kind() == SlackPostException.Kind.MESSAGE_GONE) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Takes a reply's buttons away: it keeps its text and, when its own button was used, gains {@code line}.
     * Best effort: a reply that cannot be rewritten now stays live and is retried at the next change.
     */
    private void retire(ThreadReply reply, Optional<String> line) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(reply.text()));
        line.ifPresent(text -> blocks.add(ContextBlock.builder()
                .elements(List.of(MarkdownTextObject.builder().text(text).build())).build()));
        try {
            poster.update(reply.channelId(), reply.ts(), reply.text(), blocks);
            threads.retire(reply);
        } catch (SlackPostException e) {
            if (e.kind() == SlackPostException.Kind.MESSAGE_GONE) {
                threads.retire(reply);
            } else {
                log.info("Could not retire the buttons of {} {} yet: {}", reply.channelId(), reply.ts(), e.error());
            }
        }
    }

    private void respond(String responseUrl, DeployRequestCard.Card card, boolean replaceOriginal, boolean inChannel) {
        try {
            poster.respond(responseUrl, card.text(), card.blocks(), replaceOriginal, inChannel);
        } catch (SlackPostException e) {
            // response_url works 5 times within 30 minutes; past that there is nobody left to tell.
            log.warn("Could not answer through response_url: {}", e.error());
        }
    }

    /** The reply: the transition line plus the card's own buttons (the one renderer decides them). */
    private static List<LayoutBlock> replyBlocks(String line, DeployRequestCard.Card card, boolean withButtons) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(line));
        if (withButtons) {
            card.blocks().stream().filter(ActionsBlock.class::isInstance).findFirst().ifPresent(blocks::add);
        }
        return blocks;
    }

    private static SectionBlock section(String text) {
        return SectionBlock.builder().text(MarkdownTextObject.builder().text(text).build()).build();
    }

    private static boolean isOlderThanCard(DeployRequest request, CardThread thread) {
        return thread.renderedUpdatedAt() != null && updatedAt(request).isBefore(thread.renderedUpdatedAt());
    }

    private static Instant updatedAt(DeployRequest request) {
        return request.updatedAt() == null ? Instant.EPOCH : request.updatedAt();
    }

    @FunctionalInterface
    private interface CardWork<T> {
        T run() throws SlackPostException;
    }

    private <T> T locked(DeployRef ref, String channel, CardWork<T> work) throws SlackPostException {
        ReentrantLock lock = locks.get(ref.toString().toLowerCase(Locale.ROOT) + " " + channel,
                key -> new ReentrantLock());
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }
}
