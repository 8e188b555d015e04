/**
 * The PlanetScale REST API as Cutover uses it: one typed method per deploy-request endpoint. No OkHttp or
 * Jackson type leaves this package; every non-2xx answer becomes a {@link PlanetScaleException}.
 */
package dev.cutover.planetscale;
