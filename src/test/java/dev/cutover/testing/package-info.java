/**
 * Shared test doubles: a controllable clock, a fake Slack Web API, a PlanetScale server and request signers.
 * Tests across packages use these instead of mocking HTTP clients; {@link dev.cutover.testing.CutoverExtension}
 * starts the whole service with them in one declaration.
 */
package dev.cutover.testing;
