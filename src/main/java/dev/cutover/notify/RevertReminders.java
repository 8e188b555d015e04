package dev.cutover.notify;

import dev.cutover.actions.SlackActors;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.planetscale.CachingPlanetScaleApi;
import dev.cutover.slack.CardContext;
import dev.cutover.slack.DeployRequestCard;
import dev.cutover.slack.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.Reminder;
import dev.cutover.store.ReminderStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reminder posted in a deploy request's thread five minutes before its revert window closes, with Revert
 * and Skip revert buttons. Scheduled persistently when the request enters the window, dropped when it leaves
 * it first, and checked against a fresh read before it is posted.
 */
public final class RevertReminders {
    public static final Duration LEAD = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(RevertReminders.class);

    private final ReminderStore store;
    private final SlackPoster poster;
    private final CachingPlanetScaleApi api;
    private final SlackActors deployers;
    private final Clock clock;
    private final boolean sandbox;

    public RevertReminders(ReminderStore store, SlackPoster poster, CachingPlanetScaleApi api,
            SlackActors deployers, Clock clock, boolean sandbox) {
        this.store = store;
        this.poster = poster;
        this.api = api;
        this.deployers = deployers;
        this.clock = clock;
        this.sandbox = sandbox;
    }

    /** Schedules (or re-schedules) the reminder when {@code request} is in its revert window. */
    void track(DeployRequest request, String channel, String threadTs) {
        if (request.deploymentState() != DeploymentState.COMPLETE_PENDING_REVERT) {
            return;
        }
        request.revertWindowClosesAt().ifPresent(closesAt -> {
            DeployRef ref = request.ref();
            String mention = deployers.deployer(ref).orElse(null);
            store.schedule(ref.org(), ref.database(), ref.number(), channel, threadTs, closesAt.minus(LEAD), mention);
        });
    }

    void cancel(DeployRef ref) {
        store.cancel(ref.org(), ref.database(), ref.number());
    }

    /** Posts every reminder that is due and still relevant. */
    void fireDue() {
        Instant now = clock.instant();
        for (Reminder reminder : store.due(now)) {
            DeployRef ref = new DeployRef(reminder.org(), reminder.database(), reminder.number());
            Instant closesAt = reminder.fireAt().plus(LEAD);
            boolean windowPassed = !now.isBefore(closesAt);
            try {
                DeployRequest request = api.fresh(ref);
                if (request.deploymentState() != DeploymentState.COMPLETE_PENDING_REVERT || windowPassed) {
                    store.markSent(reminder.id()); // left the window already: nothing to remind
                    continue;
                }
                DeployRequestCard.Card card = DeployRequestCard.render(request,
                        new CardContext(false, sandbox, List.of(), true));
                String line = Messages.revertReminder(request, reminder.mention());
                poster.postMessage(reminder.channelId(), line,
                        DeployRequestThreads.replyBlocks(line, card, true, sandbox), reminder.threadTs());
                store.markSent(reminder.id());
            } catch (SlackPostException e) {
                if (e.kind() != SlackPostException.Kind.RETRYABLE || windowPassed) {
                    log.warn("Revert reminder for {} not delivered to {}: {}", ref, reminder.channelId(), e.error());
                    store.markSent(reminder.id());
                }
            } catch (Exception e) {
                // PlanetScale unreachable: try again on the next pass while the window is still open.
                if (windowPassed) {
                    store.markSent(reminder.id());
                }
            }
        }
    }
}
