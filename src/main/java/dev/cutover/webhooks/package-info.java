/**
 * The PlanetScale webhook listener: checks the signature over the exact bytes received, parses it once
 * ({@link dev.cutover.planetscale.WebhookParser}) and hands it to a durable recorder before answering 2xx.
 * Slack is never called on the request thread, so PlanetScale's 2-second budget is kept.
 */
package dev.cutover.webhooks;
