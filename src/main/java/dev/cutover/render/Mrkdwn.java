package dev.cutover.render;

import dev.cutover.deploy.LintError;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Slack mrkdwn building blocks: escaping of text we did not author, reader-local dates, truncation that respects
 * Slack's length limits, and code blocks that cannot be closed early by their content (slack.md §4.3).
 */
public final class Mrkdwn {
    /** Marks text that was cut short. One char, so limits stay easy to reason about. */
    public static final String ELLIPSIS = "…";

    static final String DEFAULT_DATE_FALLBACK = "yyyy-MM-dd HH:mm 'UTC'";
    private static final String FENCE = "```";

    private Mrkdwn() {}

    /**
     * Escapes exactly {@code &}, {@code <} and {@code >}, so branch names, notes, DDL and comments never render
     * as mentions ({@code <!channel>}), links or dates. Null becomes "".
     */
    public static String escape(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Escapes {@code text} and cuts the result to at most {@code max} chars, never inside an entity such as
     * {@code &amp;} nor inside a surrogate pair; a cut is marked with {@link #ELLIPSIS}.
     */
    public static String escape(String text, int max) {
        String escaped = escape(text);
        if (escaped.length() <= max) {
            return escaped;
        }
        if (max <= 0) {
            return "";
        }
        StringBuilder out = new StringBuilder(max);
        int budget = max - ELLIPSIS.length();
        int i = 0;
        while (i < escaped.length()) {
            int end = pieceEnd(escaped, i);
            if (out.length() + (end - i) > budget) {
                break;
            }
            out.append(escaped, i, end);
            i = end;
        }
        return out.append(ELLIPSIS).toString();
    }

    /** Cuts {@code text} to at most {@code max} chars (UTF-16 units, Slack's count), never splitting a surrogate pair. */
    public static String truncate(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return text;
        }
        if (max <= 0) {
            return "";
        }
        int end = max - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, Math.max(end, 0)) + ELLIPSIS;
    }

    /**
     * A date every reader sees in their own time zone, e.g.
     * {@code <!date^1795264200^{date_short_pretty} at {time}|2026-11-21 12:30 UTC>}.
     *
     * @param fallbackFormat a {@link DateTimeFormatter} pattern for the text shown where Slack cannot render the
     *     date (always UTC); an unusable pattern falls back to {@code yyyy-MM-dd HH:mm 'UTC'}
     */
    public static String date(Instant instant, String fallbackFormat) {
        if (instant == null) {
            return "an unknown time";
        }
        String fallback;
        try {
            fallback = DateTimeFormatter.ofPattern(fallbackFormat, Locale.ROOT).withZone(ZoneOffset.UTC).format(instant);
        } catch (RuntimeException badPattern) {
            fallback = DateTimeFormatter.ofPattern(DEFAULT_DATE_FALLBACK, Locale.ROOT).withZone(ZoneOffset.UTC).format(instant);
        }
        // The fallback sits inside <…|…>: characters that would end the token early are dropped.
        fallback = fallback.replaceAll("[<>|&]", "");
        return "<!date^" + instant.getEpochSecond() + "^{date_short_pretty} at {time}|" + fallback + ">";
    }

    /** {@link #date(Instant, String)} with the fallback {@code 2026-11-21 12:30 UTC}. */
    public static String date(Instant instant) {
        return date(instant, DEFAULT_DATE_FALLBACK);
    }

    /**
     * An inline code span of a PlanetScale name ({@code ?} when blank); a backtick inside would end the span, so it
     * is swapped for a look-alike.
     */
    public static String code(String name, int max) {
        return "`" + escape(name == null || name.isBlank() ? "?" : name.replace('`', 'ˋ'), max) + "`";
    }

    /** One lint error as a person reads it: the table, if any, then PlanetScale's description (or its code). */
    public static String lintError(LintError lintError, int max) {
        String description = escape(lintError.description().isBlank() ? lintError.code() : lintError.description(),
                max);
        return lintError.table().isBlank() ? description : code(lintError.table(), 100) + ": " + description;
    }

    /**
     * A fenced code block of at most {@code max} chars (fences included) holding {@code text} escaped. Runs of
     * backticks inside get a zero-width space between them, so the content can never close the fence early.
     */
    public static String codeBlock(String text, int max) {
        int overhead = FENCE.length() * 2 + 2;
        String raw = text == null ? "" : text;
        // Twice, because "```" overlaps itself: after one pass "```" is "`\u200B``".
        raw = raw.replace("``", "`\u200B`").replace("``", "`\u200B`");
        String body = escape(raw, Math.max(max - overhead, 0));
        if (body.isBlank()) {
            body = " ";
        }
        String block = FENCE + "\n" + body + "\n" + FENCE;
        return block.length() <= max ? block : truncate(block, max);
    }

    /** A mrkdwn link whose label is escaped and whose URL cannot break out of the {@code <…|…>} token. */
    public static String link(String url, String label) {
        String safeUrl = url == null ? "" : url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
                .replace("&", "&amp;");
        return "<" + safeUrl + "|" + escape(label).replace("|", "¦") + ">";
    }

    /** End (exclusive) of the unsplittable piece starting at {@code i}: an entity, a surrogate pair or one char. */
    private static int pieceEnd(String escaped, int i) {
        if (escaped.charAt(i) == '&') {
            for (String entity : new String[] {"&amp;", "&lt;", "&gt;"}) {
                if (escaped.startsWith(entity, i)) {
                    return i + entity.length();
                }
            }
        }
        if (Character.isHighSurrogate(escaped.charAt(i)) && i + 1 < escaped.length()
                && Character.isLowSurrogate(escaped.charAt(i + 1))) {
            return i + 2;
        }
        return i + 1;
    }
}
