package dev.cutover.notify;

import dev.cutover.cards.CardWriter;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.EventType;
import dev.cutover.deploy.PlanetScaleEvent;
import dev.cutover.planetscale.MalformedWebhookException;
import dev.cutover.planetscale.Webhook;
import dev.cutover.planetscale.WebhookParser;
import dev.cutover.render.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.ChannelHealth;
import dev.cutover.store.IncomingEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one recorded PlanetScale event means in Slack: the channels that hear of it, then, for a deploy-request
 * event, the card writer's thread update and the revert-window reminder; for any other event, one line.
 */
public final class EventDelivery implements Delivery {
    private static final Logger log = LoggerFactory.getLogger(EventDelivery.class);

    /** Forgets what is cached about a deploy request (an event says it changed). */
    @FunctionalInterface
    public interface Invalidation {
        void invalidate(DeployRef ref);
    }

    private final Routing routing;
    private final CardWriter writer;
    private final SlackPoster poster;
    private final RevertReminders reminders;
    private final ChannelHealth channelHealth;
    private final Invalidation invalidation;
    private final String organization;
    private final Clock clock;
    private final Counter channelErrors;
    private final TestEventWatch testEvents;

    public EventDelivery(Routing routing, CardWriter writer, SlackPoster poster, RevertReminders reminders,
            ChannelHealth channelHealth, Invalidation invalidation, String organization, Clock clock,
            MeterRegistry registry) {
        this(routing, writer, poster, reminders, channelHealth, invalidation, organization, clock, registry,
                TestEventWatch.NONE);
    }

    /** @param testEvents set-ups from Slack waiting for PlanetScale's test event */
    public EventDelivery(Routing routing, CardWriter writer, SlackPoster poster, RevertReminders reminders,
            ChannelHealth channelHealth, Invalidation invalidation, String organization, Clock clock,
            MeterRegistry registry, TestEventWatch testEvents) {
        this.testEvents = testEvents;
        this.routing = routing;
        this.writer = writer;
        this.poster = poster;
        this.reminders = reminders;
        this.channelHealth = channelHealth;
        this.invalidation = invalidation;
        this.organization = organization;
        this.clock = clock;
        this.channelErrors = Counter.builder("cutover.deliveries").description("outbox events by delivery outcome")
                .tag("outcome", "channel_error").register(registry);
    }

    @Override
    public void deliver(IncomingEvent stored) throws RetryLater {
        Webhook webhook = parse(stored);
        Set<String> channels = routing.channelsFor(stored.database(), webhook.type());
        if (webhook.event() instanceof PlanetScaleEvent.DeployRequestChanged changed) {
            deliverDeployRequest(changed, stored.dedupeKey(), channels);
        } else {
            String text = Messages.otherEvent((PlanetScaleEvent.Other) webhook.event());
            for (String channel : channels) {
                // One post per channel: a retry re-sends only to the channels that did not get it.
                toChannel(channel, () -> poster.postOnce("notice|" + stored.dedupeKey() + "|" + channel, channel, text,
                        List.of(), null));
            }
            if (webhook.type() == EventType.WEBHOOK_TEST) {
                confirmSetup(stored);
            }
        }
    }

    /** The channel that ran {@code /pscale webhooks setup} hears that the round trip works. */
    private void confirmSetup(IncomingEvent stored) throws RetryLater {
        Optional<String> waiting = testEvents.awaitingTest(stored.database());
        if (waiting.isPresent()) {
            String channel = waiting.get();
            toChannel(channel, () -> poster.postOnce("setup-confirmed|" + stored.dedupeKey() + "|" + channel, channel,
                    Messages.webhookSetupConfirmed(stored.database()), List.of(), null));
            testEvents.arrived(stored.database());
        }
    }

    /**
     * Several events of one deploy request: each channel gets them through {@link CardWriter#applyEvents}, which
     * coalesces them when that channel's pace is backed up. A channel hears only the events routed to it (a channel
     * subscribed to one exact event gets only that one). Only deploy-request events are taken together; anything
     * else goes on its own, as {@link #deliver}.
     */
    @Override
    public int deliverTogether(List<IncomingEvent> events) throws RetryLater {
        List<CardWriter.Transition> transitions = new ArrayList<>();
        List<Set<String>> channelsOf = new ArrayList<>();
        for (IncomingEvent stored : events) {
            Webhook webhook = parse(stored);
            if (!(webhook.event() instanceof PlanetScaleEvent.DeployRequestChanged changed)) {
                break;
            }
            transitions.add(new CardWriter.Transition(changed, stored.dedupeKey()));
            channelsOf.add(routing.channelsFor(stored.database(), webhook.type()));
        }
        if (transitions.size() <= 1) {
            deliver(events.get(0));
            return 1;
        }
        DeployRequest newest = transitions.get(0).request();
        for (CardWriter.Transition transition : transitions) {
            if (!updatedAt(transition.request()).isBefore(updatedAt(newest))) {
                newest = transition.request();
            }
        }
        invalidation.invalidate(newest.ref());
        Set<String> allChannels = new LinkedHashSet<>();
        channelsOf.forEach(allChannels::addAll);
        int through = transitions.size();
        boolean stale = false;
        for (String channel : allChannels) {
            // This channel's share, and where each of its events sits among all of them.
            List<CardWriter.Transition> mine = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < transitions.size(); i++) {
                if (channelsOf.get(i).contains(channel)) {
                    mine.add(transitions.get(i));
                    positions.add(i);
                }
            }
            Optional<CardWriter.Result> result = toChannel(channel, () -> writer.applyEvents(channel, mine));
            if (result.isEmpty()) {
                continue; // the channel refused for good; the others go on
            }
            int applied = result.get().through();
            // Every event up to (not including) this channel's first unapplied one is done here.
            through = Math.min(through, applied >= mine.size() ? transitions.size() : positions.get(applied));
            if (result.get().applied() == CardWriter.Applied.REPLIED_ONLY_STALE) {
                stale = true;
            } else {
                reminders.track(newest, channel, result.get().threadTs());
            }
        }
        if (newest.deploymentState() != DeploymentState.COMPLETE_PENDING_REVERT && !stale) {
            reminders.cancel(newest.ref());
        }
        return Math.max(1, through);
    }

    private Webhook parse(IncomingEvent stored) {
        try {
            return WebhookParser.parse(stored.body().getBytes(StandardCharsets.UTF_8), organization);
        } catch (MalformedWebhookException e) {
            throw new IllegalArgumentException("stored event is unreadable: " + e.getMessage(), e);
        }
    }

    private static Instant updatedAt(DeployRequest request) {
        return request.updatedAt() == null ? Instant.EPOCH : request.updatedAt();
    }

    private void deliverDeployRequest(PlanetScaleEvent.DeployRequestChanged changed, String eventKey,
            Set<String> channels) throws RetryLater {
        DeployRequest request = changed.request();
        invalidation.invalidate(request.ref());
        boolean stale = false;
        for (String channel : channels) {
            Optional<CardWriter.Result> result = toChannel(channel,
                    () -> writer.applyEvent(channel, changed, eventKey));
            if (result.isPresent() && result.get().applied() == CardWriter.Applied.REPLIED_ONLY_STALE) {
                stale = true;
            } else if (result.isPresent()) {
                reminders.track(request, channel, result.get().threadTs());
            }
        }
        // Leaving the revert window cancels its reminder; a late, older event must not.
        if (request.deploymentState() != DeploymentState.COMPLETE_PENDING_REVERT && !stale) {
            reminders.cancel(request.ref());
        }
    }

    @FunctionalInterface
    private interface SlackStep<T> {
        T run() throws SlackPostException;
    }

    /** Empty when the channel refused for good (recorded for {@code /pscale subscriptions}); other channels go on. */
    private <T> Optional<T> toChannel(String channel, SlackStep<T> step) throws RetryLater {
        try {
            T result = step.run();
            channelHealth.clear(channel);
            return Optional.ofNullable(result);
        } catch (SlackPostException e) {
            switch (e.kind()) {
                case RETRYABLE -> throw new RetryLater("slack: " + e.error(), e.retryAfter(),
                        SlackPostException.PACED.equals(e.error()));
                case AUTH -> throw new RetryLater("slack auth: " + e.error(), Optional.of(Outbox.MAX_BACKOFF), false);
                case CHANNEL, MESSAGE_GONE, PERMANENT -> {
                    // Retrying cannot help; surface it in /pscale subscriptions and carry on with other channels.
                    log.warn("Slack refused delivery to {}: {}", channel, e.error());
                    channelHealth.recordFailure(channel, e.error(), clock.instant());
                    channelErrors.increment();
                }
            }
            return Optional.empty();
        }
    }
}
