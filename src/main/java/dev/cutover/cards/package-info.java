/**
 * The living card of a deploy request: {@link dev.cutover.cards.Cards} builds every card's inputs in one place, and
 * {@link dev.cutover.cards.CardWriter} is the only code that posts or updates a card and its thread — for webhooks,
 * clicks, typed commands and reminders alike — so history, credits and the "never roll back" rule hold everywhere.
 */
package dev.cutover.cards;
