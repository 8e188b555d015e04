/**
 * Reconciliation: Cutover's safety net under PlanetScale's webhooks. It reads PlanetScale's view of each database
 * Cutover reports on, compares it with what the Slack cards show, and records each difference in the same journal
 * as webhooks, so the one card writer tells it, once.
 */
package dev.cutover.reconcile;
