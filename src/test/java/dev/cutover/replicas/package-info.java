/**
 * Several Cutover processes sharing one PostgreSQL store, over real HTTP: child JVMs started as {@code Main} is,
 * the fake Slack and a scripted PlanetScale. What a fleet must never do: lose or double an event, break a channel's
 * pace, write twice to PlanetScale for one click, or leave periodic jobs without a leader.
 */
package dev.cutover.replicas;
