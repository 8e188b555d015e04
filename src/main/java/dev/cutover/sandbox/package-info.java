/**
 * An in-process PlanetScale API for one organization, answering the deploy-request endpoints over real HTTP
 * with the real JSON shapes, moving deploy requests through their lifecycle on an injected clock and sending
 * signed webhooks. It runs the bot end to end with no PlanetScale account ({@code --sandbox}) and drives the
 * end-to-end tests.
 */
package dev.cutover.sandbox;
