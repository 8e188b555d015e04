package dev.cutover.confirm;

import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.ViewState;
import dev.cutover.actions.ActionOutcome;
import dev.cutover.actions.Confirmation;
import dev.cutover.actions.DeployRequestActions;
import dev.cutover.actions.SlackUser;
import dev.cutover.cards.CardWriter;
import dev.cutover.cards.Origin;
import dev.cutover.deploy.AvailableActions;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.planetscale.CachingPlanetScaleApi;
import dev.cutover.planetscale.PlanetScaleException;
import dev.cutover.render.Messages;
import dev.cutover.render.OutcomeWords;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write passes here after its button is pressed (a card's, or a typed command's confirm step): the
 * {@link RiskAssessment} decides whether the press was confirmation enough or a modal must ask, a modal's submission
 * is checked again against fresh state, and a confirmed action either asks a second person or is carried out.
 */
public final class Confirmations {
    /**
     * How long a click may wait for the deploy request before the modal opens: Slack's trigger lives 3 s, and the
     * read is usually a cache hit. Past it the strongest confirmation is asked instead of none.
     */
    static final Duration READ_PATIENCE = Duration.ofMillis(1500);
    private static final Logger log = LoggerFactory.getLogger(Confirmations.class);

    private final CachingPlanetScaleApi api;
    private final DeployRequestActions actions;
    private final CardWriter writer;
    private final SlackPoster poster;
    private final SecondPerson secondPerson;
    private final Executor executor;

    /** A press of an action's button by {@code user}; {@code text} is a typed approve's review body ("" otherwise). */
    public record Press(SlackUser user, DeployAction action, DeployRef ref, String text, String triggerId,
            Origin origin) {}

    public Confirmations(CachingPlanetScaleApi api, DeployRequestActions actions, CardWriter writer, SlackPoster poster,
            SecondPerson secondPerson, Executor executor) {
        this.api = api;
        this.actions = actions;
        this.writer = writer;
        this.poster = poster;
        this.secondPerson = secondPerson;
        this.executor = executor;
        secondPerson.carriedOutBy(() -> this);
    }

    /**
     * A press of a write button: carried out when a dialog (or the press itself) was confirmation enough, else a
     * modal opens from the press's {@code trigger_id}. Runs on a worker; never throws.
     */
    public void pressed(Press press) {
        Optional<ActionOutcome> refused = actions.refusalBeforeConfirmation(press.user(), press.action(), press.ref());
        if (refused.isPresent()) {
            tell(press.origin().responseUrl(), OutcomeWords.of(refused.get()), OutcomeWords.blocks(refused.get()));
            return;
        }
        Optional<DeployRequest> seen;
        try {
            seen = readWithin(press.ref());
        } catch (PlanetScaleException | IOException e) {
            // PlanetScale answered, with a failure: say so rather than ask to confirm what cannot be read.
            actions.endedBeforeConfirmation(press.user(), press.action(), press.ref(),
                    actions.failure(press.action(), press.ref(), e));
            tell(press.origin().responseUrl(), Messages.failure(press.action(), press.ref().toString(), api.org(), e,
                    e instanceof PlanetScaleException p && p.isNotFound() ? actions.tokenSeesOrganization() : null));
            return;
        }
        RiskAssessment risk = seen.map(request -> RiskAssessment.of(press.action(), request))
                .orElseGet(() -> RiskAssessment.unread(press.action(), press.ref()));
        if (risk.level() == ConfirmationLevel.DIALOG) {
            carryOut(press.user(), press.action(), press.ref(), press.text(), press.origin(), risk);
            return;
        }
        Origin origin = press.origin();
        boolean typed = origin instanceof Origin.Command;
        String channel = origin instanceof Origin.Click click ? click.channel() : ((Origin.Command) origin).channel();
        String messageTs = origin instanceof Origin.Click click ? click.messageTs() : null;
        boolean ephemeral = !(origin instanceof Origin.Click click) || click.ephemeral();
        Pending pending = new Pending(press.action(), press.ref(), seen.map(request ->
                RiskAssessment.fingerprint(press.action(), request)).orElse(Pending.UNREAD), channel, messageTs,
                ephemeral, origin.responseUrl(), typed,
                risk.level() == ConfirmationLevel.TYPED_NAME ? risk.expectedName() : "");
        try {
            poster.openView(press.triggerId(), ConfirmModal.view(risk, seen.orElse(null), pending));
        } catch (SlackPostException e) {
            log.info("Could not open the confirmation of {} {}: {}", press.action().policyName(), press.ref(),
                    e.error());
            tell(origin.responseUrl(), Messages.confirmationNotOpened(press.action(), press.ref()));
        }
    }

    /**
     * The Bolt listener for a confirmation modal's submission. A wrong name is answered at once with a field error
     * (the modal stays open); anything else closes the modal, and the fresh check and the action run on the executor.
     */
    public Response submit(ViewSubmissionRequest request, ViewSubmissionContext context) {
        ViewSubmissionPayload payload = request.getPayload();
        Optional<Pending> pending = Pending.fromMetadata(payload.getView().getPrivateMetadata());
        if (pending.isEmpty()) {
            return context.ack(); // not a modal Cutover opened: nothing to do
        }
        Optional<String> typedName = typedName(payload.getView().getState());
        String expected = pending.get().expectedName();
        if (!expected.isEmpty() && !typedName.map(String::strip).orElse("").equals(expected)) {
            return context.ack(r -> r.responseAction("errors")
                    .errors(Map.of(ConfirmModal.NAME_BLOCK, Messages.wrongName(expected))));
        }
        var user = payload.getUser();
        SlackUser slackUser = new SlackUser(user.getId(), user.getUsername() != null ? user.getUsername()
                : user.getName(), user.getTeamId() != null ? user.getTeamId()
                : payload.getTeam() != null ? payload.getTeam().getId() : "");
        try {
            executor.execute(() -> confirmed(slackUser, pending.get()));
        } catch (RejectedExecutionException e) {
            // Too busy to check it now: the modal closes and the person hears that nothing was done.
            Thread.ofVirtual().start(() -> tell(pending.get().responseUrl(), Messages.busy()));
        }
        return context.ack();
    }

    /** The submitted modal, checked against fresh state before anything is done. */
    private void confirmed(SlackUser user, Pending pending) {
        Origin origin = pending.typed()
                ? new Origin.Command(pending.channel(), pending.responseUrl(), pending.action(), false)
                : new Origin.Click(pending.channel(), pending.messageTs(), pending.ephemeral(), pending.responseUrl());
        try {
            DeployRequest now = api.fresh(pending.ref());
            RiskAssessment risk = RiskAssessment.of(pending.action(), now);
            boolean unchanged = Pending.UNREAD.equals(pending.fingerprint())
                    ? AvailableActions.allows(now, actions.approvalRequired(now.ref().database()), pending.action())
                    : pending.fingerprint().equals(RiskAssessment.fingerprint(pending.action(), now));
            if (!unchanged) {
                writer.show(now, origin, Optional.empty());
                tell(pending.responseUrl(), Messages.changedSinceConfirmed(pending.action(), now));
                return;
            }
            carryOut(user, pending.action(), pending.ref(), "", origin, risk);
        } catch (PlanetScaleException | IOException e) {
            tell(pending.responseUrl(), Messages.failure(pending.action(), pending.ref().toString(), api.org(), e,
                    null));
        } catch (RuntimeException e) {
            log.error("Confirmed {} on {} failed for {}", pending.action().policyName(), pending.ref(), user.id(), e);
            tell(pending.responseUrl(), Messages.failure(pending.action(), pending.ref().toString(), e, null));
        }
    }

    /**
     * A confirmed action: when the policy wants a second person for it, the request for one is posted instead;
     * otherwise it is performed, and the card and the person are told.
     */
    public void carryOut(SlackUser user, DeployAction action, DeployRef ref, String text, Origin origin,
            RiskAssessment risk) {
        if (secondPerson.isRequired(action, risk)) {
            secondPerson.ask(user, action, ref, origin, risk);
            return;
        }
        perform(user, action, ref, text, origin, risk.level().name().toLowerCase(Locale.ROOT), Optional.empty());
    }

    /**
     * Performs the action and shows its outcome; {@code level} is how it was confirmed and {@code secondBy} who
     * confirmed it as second person, both for the audit record.
     */
    void perform(SlackUser user, DeployAction action, DeployRef ref, String text, Origin origin, String level,
            Optional<SlackUser> secondBy) {
        ActionOutcome outcome = actions.perform(user, action, ref, text,
                new Confirmation(level, secondBy.map(SlackUser::id).orElse(null)));
        if (outcome instanceof ActionOutcome.Done done) {
            String line = action == DeployAction.COMMENT ? Messages.commented(ref, user.id(), text)
                    : Messages.done(action, ref, user.id());
            if (secondBy.isPresent()) {
                line += " " + Messages.secondPersonCredit(secondBy.get().id());
            }
            writer.show(done.request(), origin, Optional.of(line));
        } else if (outcome instanceof ActionOutcome.NotApplicable notApplicable && origin instanceof Origin.Click) {
            // The card was stale: show the truth in place, and tell the person why nothing happened.
            writer.show(notApplicable.request(), origin, Optional.empty());
            tell(origin.responseUrl(), OutcomeWords.of(outcome));
        } else {
            // A refusal that needs the person's PlanetScale link carries the button to link it.
            tell(origin.responseUrl(), OutcomeWords.of(outcome), OutcomeWords.blocks(outcome));
        }
    }

    /**
     * The deploy request as last read (usually cached), if it comes within {@link #READ_PATIENCE}; empty when it
     * does not come in time.
     *
     * @throws PlanetScaleException or IOException when the read failed within the patience
     */
    private Optional<DeployRequest> readWithin(DeployRef ref) throws PlanetScaleException, IOException {
        CompletableFuture<DeployRequest> read = new CompletableFuture<>();
        Thread.ofVirtual().name("confirm-read").start(() -> {
            try {
                read.complete(api.getDeployRequest(ref));
            } catch (PlanetScaleException | IOException | RuntimeException e) {
                read.completeExceptionally(e);
            }
        });
        try {
            return Optional.of(read.get(READ_PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PlanetScaleException failure) {
                throw failure;
            }
            if (e.getCause() instanceof IOException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Optional<String> typedName(ViewState state) {
        if (state == null || state.getValues() == null) {
            return Optional.empty();
        }
        Map<String, ViewState.Value> block = state.getValues().get(ConfirmModal.NAME_BLOCK);
        if (block == null || block.get(ConfirmModal.NAME_INPUT) == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(block.get(ConfirmModal.NAME_INPUT).getValue());
    }

    private void tell(String responseUrl, String text) {
        tell(responseUrl, text, List.of());
    }

    private void tell(String responseUrl, String text, List<LayoutBlock> blocks) {
        if (responseUrl == null) {
            return;
        }
        try {
            poster.respond(responseUrl, text, blocks, false, false);
        } catch (SlackPostException e) {
            log.warn("Could not answer through response_url: {}", e.error());
        }
    }
}
