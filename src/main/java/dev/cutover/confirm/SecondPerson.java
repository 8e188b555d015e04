package dev.cutover.confirm;

import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.element.ButtonElement;
import dev.cutover.actions.DeployRequestActions;
import dev.cutover.actions.SlackUser;
import dev.cutover.cards.CardWriter;
import dev.cutover.cards.Origin;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.policy.Decision;
import dev.cutover.policy.Safeguards;
import dev.cutover.render.Messages;
import dev.cutover.slack.SlackPostException;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.SecondPersonRequest;
import dev.cutover.store.SecondPersonRequests;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Actions the policy gives to two people ({@code require_second_person}): the first person's confirmed request is
 * posted as a pending reply in the deploy request's thread, and only a different, authorised person's press carries
 * it out, before it expires ({@code second_person_expiry}). Both names are kept in {@link SecondPersonRequests}.
 */
public final class SecondPerson {
    /** The button on a pending request; its value is the request's id. */
    public static final String ACTION_ID = DeployAction.ACTION_ID_PREFIX + "second_person";
    private static final Logger log = LoggerFactory.getLogger(SecondPerson.class);

    private final SecondPersonRequests requests;
    private final Safeguards safeguards;
    private final DeployRequestActions actions;
    private final CardWriter writer;
    private final SlackPoster poster;
    private final Clock clock;
    /** Set once {@link Confirmations} exists (they call each other). */
    private Supplier<Confirmations> confirmations;

    public SecondPerson(SecondPersonRequests requests, Safeguards safeguards, DeployRequestActions actions,
            CardWriter writer, SlackPoster poster, Clock clock) {
        this.requests = requests;
        this.safeguards = safeguards;
        this.actions = actions;
        this.writer = writer;
        this.poster = poster;
        this.clock = clock;
    }

    void carriedOutBy(Supplier<Confirmations> confirmations) {
        this.confirmations = confirmations;
    }

    /** Whether the policy wants a second person for {@code action} as {@code risk} sees it. */
    public boolean isRequired(DeployAction action, RiskAssessment risk) {
        var names = safeguards.requireSecondPerson();
        return names.contains(action.policyName())
                || !risk.dropping().isEmpty() && names.contains(Safeguards.DESTRUCTIVE_DEPLOY);
    }

    /** Records the first person's request and posts it for a second person, in the thread (else in the channel). */
    void ask(SlackUser user, DeployAction action, DeployRef ref, Origin origin, RiskAssessment risk) {
        Instant now = clock.instant();
        SecondPersonRequest request = new SecondPersonRequest(UUID.randomUUID().toString(), ref, action, user.id(),
                now, now.plus(safeguards.secondPersonExpiry()), SecondPersonRequest.Status.PENDING, null, null);
        requests.save(request);
        String text = Messages.secondPersonAsked(user.id(), action, ref, !risk.dropping().isEmpty(),
                request.expiresAt());
        List<LayoutBlock> blocks = List.of(
                SectionBlock.builder().text(MarkdownTextObject.builder().text(text).build()).build(),
                ActionsBlock.builder().elements(List.of(ButtonElement.builder().actionId(ACTION_ID)
                        .text(plainText("Confirm as second person")).value(request.id()).style("danger")
                        .confirm(ConfirmationDialogObject.builder()
                                .title(plainText("Confirm as second person?"))
                                .text(plainText(Messages.secondPersonDialog(user.id(), action, ref)))
                                .confirm(plainText("Confirm")).deny(plainText("Go back")).style("danger").build())
                        .build())).build());
        String channel = origin instanceof Origin.Click click ? click.channel() : ((Origin.Command) origin).channel();
        try {
            Optional<String> posted = channel == null ? Optional.empty()
                    : writer.ask("second|" + request.id(), ref, channel, text, blocks);
            if (posted.isEmpty()) {
                // No thread here: the channel sees the request as the answer to the press.
                poster.respond(origin.responseUrl(), text, blocks, false, true);
            }
            poster.respond(origin.responseUrl(), Messages.secondPersonWaiting(action, ref, request.expiresAt()),
                    List.of(), false, false);
        } catch (SlackPostException e) {
            log.warn("Could not post the second-person request for {} {}: {}", action.policyName(), ref, e.error());
        }
    }

    /** A press of "Confirm as second person" by {@code second}, on the message {@code origin} names. */
    public void pressed(SlackUser second, String requestId, Origin.Click origin) {
        Optional<SecondPersonRequest> found = requests.find(requestId == null ? "" : requestId);
        if (found.isEmpty()) {
            tell(origin.responseUrl(), Messages.brokenButton());
            return;
        }
        SecondPersonRequest request = found.get();
        Instant now = clock.instant();
        if (request.status() == SecondPersonRequest.Status.CONFIRMED) {
            tell(origin.responseUrl(), Messages.secondPersonAlreadyConfirmed(request.confirmedBy(), request.ref()));
            return;
        }
        if (request.isExpiredAt(now)) {
            requests.expire(request.id(), now);
            settle(origin, Messages.secondPersonExpired(request.requestedBy(), request.action(), request.ref()));
            tell(origin.responseUrl(), Messages.secondPersonExpired(request.requestedBy(), request.action(),
                    request.ref()));
            return;
        }
        if (request.requestedBy().equals(second.id())) {
            tell(origin.responseUrl(), Messages.ownSecondPerson());
            return;
        }
        Decision decision = actions.decide(second, request.action(), request.ref());
        if (!decision.allowed()) {
            tell(origin.responseUrl(), Messages.denied(request.action(), decision.reason()));
            return;
        }
        if (!requests.confirm(request.id(), second.id(), now)) {
            tell(origin.responseUrl(), Messages.secondPersonAlreadyConfirmed(null, request.ref()));
            return;
        }
        // Performed as the person who asked (with their PlanetScale link when they have one; a second person
        // confirms within the same workspace, so its team finds that link).
        confirmations.get().perform(new SlackUser(request.requestedBy(), request.requestedBy(), second.teamId()),
                request.action(), request.ref(), "", origin, "second_person", Optional.of(second));
    }

    private void settle(Origin.Click origin, String line) {
        if (origin.channel() != null && origin.messageTs() != null && !origin.ephemeral()) {
            writer.settle(origin.channel(), origin.messageTs(), line);
        }
    }

    private void tell(String responseUrl, String text) {
        try {
            poster.respond(responseUrl, text, List.of(), false, false);
        } catch (SlackPostException e) {
            log.warn("Could not answer through response_url: {}", e.error());
        }
    }
}
