/**
 * The domain of deploy requests: references, states, actions and the one table that decides which
 * actions a state allows. No I/O lives here, and nothing from Slack, OkHttp or Jackson.
 */
package dev.cutover.deploy;
