package dev.cutover.render;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class MrkdwnProperties {
    @Property(tries = 200)
    void escapeWithin_staysWithinMaxAndLeavesNoAngleBracket(@ForAll String text, @ForAll @IntRange(max = 300) int max) {
        String escaped = Mrkdwn.escape(text, max);

        assertThat(escaped.length()).isLessThanOrEqualTo(max);
        assertThat(escaped).doesNotContain("<", ">");
    }

    @Property(tries = 200)
    void truncate_staysWithinMaxAndNeverEndsInAHalfPair(@ForAll String text, @ForAll @IntRange(max = 300) int max) {
        String truncated = Mrkdwn.truncate(text + "😀😀", max);

        assertThat(truncated.length()).isLessThanOrEqualTo(max);
        if (!truncated.isEmpty() && truncated.endsWith(Mrkdwn.ELLIPSIS)) {
            String kept = truncated.substring(0, truncated.length() - 1);
            assertThat(kept.isEmpty() || !Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isTrue();
        }
    }

    @Property(tries = 200)
    void codeBlock_isOneClosedFenceWithinMax(@ForAll String text, @ForAll @IntRange(min = 9, max = 2000) int max) {
        String block = Mrkdwn.codeBlock(text, max);

        assertThat(block.length()).isLessThanOrEqualTo(max);
        assertThat(block).startsWith("```\n").endsWith("\n```");
        assertThat(block.substring(3, block.length() - 3)).doesNotContain("```", "<");
    }
}
