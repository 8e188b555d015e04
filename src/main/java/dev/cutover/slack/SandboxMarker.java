package dev.cutover.slack;

import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import dev.cutover.render.Messages;
import java.util.ArrayList;
import java.util.List;

/**
 * The visible "🧪 Sandbox" line, added once, where messages leave for Slack ({@link SlackPoster} and the
 * slash command's immediate answer), so nobody mistakes a simulation for production and no caller has to
 * remember it. A no-op outside the sandbox.
 */
public final class SandboxMarker {
    public static final SandboxMarker OFF = new SandboxMarker(false);
    public static final SandboxMarker ON = new SandboxMarker(true);

    private final boolean sandbox;

    private SandboxMarker(boolean sandbox) {
        this.sandbox = sandbox;
    }

    public static SandboxMarker of(boolean sandbox) {
        return sandbox ? ON : OFF;
    }

    /** The text of a message that has no blocks. */
    public String text(String text) {
        return sandbox ? text + "\n" + Messages.sandboxMarker() : text;
    }

    /** A message's text: marked itself when there are no blocks to carry the marker. */
    String text(String text, List<LayoutBlock> blocks) {
        return blocks == null || blocks.isEmpty() ? text(text) : text;
    }

    /** The blocks with the marker second, after the header or the reply's line: near the top, where it is seen. */
    public List<LayoutBlock> blocks(List<LayoutBlock> blocks) {
        if (!sandbox || blocks == null || blocks.isEmpty()) {
            return blocks;
        }
        List<LayoutBlock> marked = new ArrayList<>(blocks);
        marked.add(1, ContextBlock.builder().blockId("sandbox")
                .elements(List.of(MarkdownTextObject.builder().text(Messages.sandboxMarker()).build())).build());
        return marked;
    }
}
