package dev.cutover.render;

import java.util.List;

/**
 * What the card needs to know besides the deploy request itself: the database's approval setting, the deploy
 * request's history lines and whether to draw buttons. Built by {@code cards.Cards}, the one place that gathers them.
 *
 * @param approvalRequired the database's {@code require_approval_for_deploy}
 * @param history already-formatted mrkdwn lines ("✅ <@U123> approved shop#7"), oldest first; the card shows
 *     the last {@link #HISTORY_SHOWN}
 * @param withButtons false for read-only renderings (e.g. a card that went stale)
 */
public record CardContext(boolean approvalRequired, List<String> history, boolean withButtons) {
    /** How many history lines a card shows; a context block holds at most 10 elements. */
    public static final int HISTORY_SHOWN = 5;

    public CardContext {
        history = history == null ? List.of() : history.stream().filter(line -> line != null && !line.isBlank()).toList();
    }

    /** Buttons on, no history, production PlanetScale. */
    public static CardContext of(boolean approvalRequired) {
        return new CardContext(approvalRequired, List.of(), true);
    }

    public CardContext withHistory(List<String> lines) {
        return new CardContext(approvalRequired, lines, withButtons);
    }

    public CardContext withoutButtons() {
        return new CardContext(approvalRequired, history, false);
    }

    /** The lines the card shows: the newest {@link #HISTORY_SHOWN}, oldest first. */
    public List<String> recentHistory() {
        return history.subList(Math.max(0, history.size() - HISTORY_SHOWN), history.size());
    }
}
