package dev.cutover.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MrkdwnTest {
    @Test
    void escape_replacesExactlyAmpersandAndAngleBrackets() {
        String escaped = Mrkdwn.escape("<!channel> & <@U123> <https://evil|click>");

        assertThat(escaped).isEqualTo("&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://evil|click&gt;");
    }

    @Test
    void escape_leavesFormattingCharactersAlone() {
        assertThat(Mrkdwn.escape("*bold* _it_ ~s~ `code` \"q\" 'a' |")).isEqualTo("*bold* _it_ ~s~ `code` \"q\" 'a' |");
    }

    @Test
    void escape_ofNull_isEmpty() {
        assertThat(Mrkdwn.escape(null)).isEmpty();
    }

    @Test
    void escapeWithin_neverCutsAnEntityInHalf() {
        String escaped = Mrkdwn.escape("ab<<<<", 7);

        assertThat(escaped).isEqualTo("ab&lt;…");
    }

    @Test
    void truncate_shortText_isUnchanged() {
        assertThat(Mrkdwn.truncate("shop#7", 6)).isEqualTo("shop#7");
    }

    @Test
    void truncate_longText_endsWithEllipsisWithinMax() {
        String truncated = Mrkdwn.truncate("abcdefghij", 5);

        assertThat(truncated).isEqualTo("abcd…").hasSize(5);
    }

    @Test
    void truncate_neverSplitsASurrogatePair() {
        String truncated = Mrkdwn.truncate("ab😀😀😀", 4);

        assertThat(truncated).isEqualTo("ab…");
    }

    @Test
    void date_usesSlackDateTokenWithUtcFallback() {
        Instant instant = Instant.parse("2026-11-21T12:30:00Z");

        String date = Mrkdwn.date(instant, "yyyy-MM-dd HH:mm 'UTC'");

        assertThat(date).isEqualTo("<!date^" + instant.getEpochSecond() + "^{date_short_pretty} at {time}|2026-11-21 12:30 UTC>");
    }

    @Test
    void date_withUnusablePattern_fallsBackToDefault() {
        String date = Mrkdwn.date(Instant.parse("2026-11-21T12:30:00Z"), "{{not a pattern");

        assertThat(date).endsWith("|2026-11-21 12:30 UTC>");
    }

    @Test
    void date_fallbackCannotBreakOutOfTheToken() {
        String date = Mrkdwn.date(Instant.parse("2026-11-21T12:30:00Z"), "'<!channel>|'yyyy");

        assertThat(date).endsWith("|!channel2026>").doesNotContain("<!channel>");
    }

    @Test
    void codeBlock_escapesAndFences() {
        assertThat(Mrkdwn.codeBlock("SELECT 1 < 2", 100)).isEqualTo("```\nSELECT 1 &lt; 2\n```");
    }

    @Test
    void codeBlock_withStrayFence_cannotBeClosedEarly() {
        String block = Mrkdwn.codeBlock("a ``` <!channel> ```` b", 100);

        String inside = block.substring(4, block.length() - 4);
        assertThat(inside).doesNotContain("```").doesNotContain("``").doesNotContain("<!channel>");
        assertThat(block).startsWith("```\n").endsWith("\n```");
    }

    @Test
    void codeBlock_longDdl_isTruncatedWithinMax() {
        String block = Mrkdwn.codeBlock("x".repeat(5000), 200);

        assertThat(block).hasSizeLessThanOrEqualTo(200).endsWith("…\n```");
    }

    @Test
    void link_urlCannotBreakOutOfTheLink() {
        String link = Mrkdwn.link("https://x/a|b>c", "<!here>");

        assertThat(link).isEqualTo("<https://x/a%7Cb%3Ec|&lt;!here&gt;>");
    }
}
