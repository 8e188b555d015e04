package dev.cutover.confirm;

import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.InputBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.element.PlainTextInputElement;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewClose;
import com.slack.api.model.view.ViewSubmit;
import com.slack.api.model.view.ViewTitle;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.render.Mrkdwn;
import java.util.ArrayList;
import java.util.List;

/**
 * The confirmation modal of a risky action (Block Kit, opened with {@code views.open}): what will happen in plain
 * words, the operations that can drop data, and for {@link ConfirmationLevel#TYPED_NAME} a field for the name.
 */
public final class ConfirmModal {
    /** The {@code callback_id} of every confirmation modal; its submissions reach {@link Confirmations#submit}. */
    public static final String CALLBACK_ID = "cutover:confirm";
    /** The input block holding the typed name (where a wrong name's error is shown). */
    public static final String NAME_BLOCK = "confirm_name";
    public static final String NAME_INPUT = "name";
    private static final int DDL_SHOWN = 600;
    private static final int OPERATIONS_SHOWN = 10;
    private static final int TITLE_MAX = 24; // Slack's modal title limit

    private ConfirmModal() {}

    static View view(RiskAssessment risk, DeployRequest request, Pending pending) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String ref = request == null ? pending.ref().toString() : request.ref().toString();
        blocks.add(section("*" + Mrkdwn.escape(risk.action().label()) + " " + Mrkdwn.escape(ref) + "?*"));
        for (String line : risk.consequences()) {
            blocks.add(section(Mrkdwn.escape(line)));
        }
        List<DeployOperation> dropping = risk.dropping();
        for (DeployOperation operation : dropping.subList(0, Math.min(dropping.size(), OPERATIONS_SHOWN))) {
            StringBuilder text = new StringBuilder("⚠️ `").append(Mrkdwn.escape(operation.table())).append('`');
            if (operation.tableRecentlyUsed()) {
                text.append(" — *recently used* (PlanetScale saw queries on it lately)");
            }
            text.append('\n').append(Mrkdwn.codeBlock(operation.ddlStatement(), DDL_SHOWN));
            blocks.add(section(text.toString()));
        }
        if (dropping.size() > OPERATIONS_SHOWN) {
            blocks.add(ContextBlock.builder().elements(List.of(MarkdownTextObject.builder()
                    .text("and " + (dropping.size() - OPERATIONS_SHOWN) + " more operations that can drop data")
                    .build())).build());
        }
        if (risk.level() == ConfirmationLevel.TYPED_NAME) {
            blocks.add(InputBlock.builder().blockId(NAME_BLOCK)
                    .label(plainText(Mrkdwn.truncate("Type " + risk.expectedName() + " to confirm", 2000)))
                    .element(PlainTextInputElement.builder().actionId(NAME_INPUT)
                            .placeholder(plainText(Mrkdwn.truncate(risk.expectedName(), 150))).build())
                    .build());
        }
        return View.builder().type("modal").callbackId(CALLBACK_ID)
                .title(ViewTitle.builder().type("plain_text").text(Mrkdwn.truncate("Confirm " + risk.action().label()
                        .toLowerCase(java.util.Locale.ROOT), TITLE_MAX)).build())
                .submit(ViewSubmit.builder().type("plain_text").text(Mrkdwn.truncate(risk.action().label(), 24))
                        .build())
                .close(ViewClose.builder().type("plain_text").text("Go back").build())
                .privateMetadata(pending.toMetadata())
                .blocks(blocks).build();
    }

    private static SectionBlock section(String mrkdwn) {
        return SectionBlock.builder().text(MarkdownTextObject.builder().text(mrkdwn).build()).build();
    }
}
