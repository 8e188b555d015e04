/**
 * Moments that need a human: a gated deploy request blocking its queue, a cutover stuck on locks, a production
 * deploy that would cut over by itself where the policy wants it gated. Each is told once in the deploy request's
 * thread, with the button that resolves it one tap away.
 */
package dev.cutover.moments;
