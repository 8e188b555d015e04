package dev.cutover.confirm;

import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.element.ButtonElement;
import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import dev.cutover.render.DeployRequestCard;
import dev.cutover.render.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The confirm step of a typed write ({@code /pscale revert shop#2}): the card, privately, with one button that does
 * what was typed. Pressing it goes the way a card's button goes (a modal where the risk asks for one); the button
 * carries a typed approve's review text, since the press is a new request.
 */
public final class TypedConfirm {
    /** Action ids of confirm steps: this prefix, then the action's own id. */
    public static final String ACTION_ID_PREFIX = DeployAction.ACTION_ID_PREFIX + "typed:";
    private static final int TEXT_KEPT = 1800; // a button value holds 2,000 characters

    /** What a confirm step's button says: the action, the deploy request and the review text. */
    public record Step(DeployAction action, DeployRef ref, String text) {}

    private TypedConfirm() {}

    /** The private answer to a typed write: the card, then the question and its one button. */
    public static DeployRequestCard.Card card(DeployRequestCard.Card card, DeployAction action, DeployRef ref,
            String text) {
        List<LayoutBlock> blocks = new ArrayList<>(card.blocks());
        String question = Messages.typedConfirm(action, ref);
        blocks.add(SectionBlock.builder().text(MarkdownTextObject.builder().text(question).build()).build());
        String body = text == null ? "" : text.length() > TEXT_KEPT ? text.substring(0, TEXT_KEPT) : text;
        blocks.add(ActionsBlock.builder().blockId("typed_confirm").elements(List.of(ButtonElement.builder()
                .actionId(ACTION_ID_PREFIX + action.actionId())
                .text(plainText(action.label()))
                .value(ref.toButtonValue() + (body.isEmpty() ? "" : "\n" + body))
                .style(action.isDangerous() ? "danger" : "primary")
                .build())).build());
        return new DeployRequestCard.Card(question, blocks);
    }

    /** The step a confirm button names; empty for any other action id. */
    public static Optional<Step> parse(String actionId, String value) {
        if (actionId == null || !actionId.startsWith(ACTION_ID_PREFIX) || value == null) {
            return Optional.empty();
        }
        Optional<DeployAction> action = DeployAction.fromActionId(actionId.substring(ACTION_ID_PREFIX.length()));
        if (action.isEmpty()) {
            return Optional.empty();
        }
        int newline = value.indexOf('\n');
        try {
            DeployRef ref = DeployRef.fromButtonValue(newline < 0 ? value : value.substring(0, newline));
            return Optional.of(new Step(action.get(), ref, newline < 0 ? "" : value.substring(newline + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
