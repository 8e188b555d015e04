package dev.cutover.notify;

import dev.cutover.cards.CardWriter;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.render.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.store.Reminder;
import dev.cutover.store.ReminderStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    /** Reads a deploy request as PlanetScale has it now. */
    @FunctionalInterface
    public interface FreshReads {
        DeployRequest fresh(DeployRef ref) throws PlanetScaleException, IOException;
    }

    private final ReminderStore store;
    private final CardWriter writer;
    private final FreshReads planetScale;
    private final Clock clock;
    private final Duration lead;

    public RevertReminders(ReminderStore store, CardWriter writer, FreshReads planetScale, Clock clock) {
        this(store, writer, planetScale, clock, LEAD);
    }

    /** @param lead how long before the window closes the reminder comes (shorter in a sped-up sandbox) */
    public RevertReminders(ReminderStore store, CardWriter writer, FreshReads planetScale, Clock clock,
            Duration lead) {
        this.store = store;
        this.writer = writer;
        this.planetScale = planetScale;
        this.clock = clock;
        this.lead = lead;
    }

    /** Schedules (or re-schedules) the reminder when {@code request} is in its revert window. */
    void track(DeployRequest request, String channel, String threadTs) {
        if (request.deploymentState() != DeploymentState.COMPLETE_PENDING_REVERT) {
            return;
        }
        request.revertWindowClosesAt().ifPresent(closesAt -> {
            DeployRef ref = request.ref();
            String mention = writer.deployer(ref).orElse(null);
            store.schedule(ref.org(), ref.database(), ref.number(), channel, threadTs, closesAt.minus(lead), mention);
        });
    }

    void cancel(DeployRef ref) {
        store.cancel(ref.org(), ref.database(), ref.number());
    }

    /** Posts every reminder that is due and still relevant. */
    public void fireDue() {
        Instant now = clock.instant();
        for (Reminder reminder : store.due(now)) {
            DeployRef ref = new DeployRef(reminder.org(), reminder.database(), reminder.number());
            Instant closesAt = reminder.fireAt().plus(lead);
            boolean windowPassed = !now.isBefore(closesAt);
            try {
                DeployRequest request = planetScale.fresh(ref);
                if (request.deploymentState() != DeploymentState.COMPLETE_PENDING_REVERT || windowPassed) {
                    store.markSent(reminder.id()); // left the window already: nothing to remind
                    continue;
                }
                writer.remind(Long.toString(reminder.id()), reminder.channelId(), reminder.threadTs(), request,
                        Messages.revertReminder(request, reminder.mention()));
                store.markSent(reminder.id());
            } catch (SlackPostException e) {
                if (e.kind() != SlackPostException.Kind.RETRYABLE || windowPassed) {
                    log.warn("Revert reminder for {} not delivered to {}: {}", ref, reminder.channelId(), e.error());
                    store.markSent(reminder.id());
                }
            } catch (PlanetScaleException | IOException | RuntimeException e) {
                // PlanetScale unreachable: try again on the next pass while the window is still open.
                if (windowPassed) {
                    store.markSent(reminder.id());
                }
            }
        }
    }
}
