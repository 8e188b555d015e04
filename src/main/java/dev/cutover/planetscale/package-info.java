/**
 * The PlanetScale REST API as Cutover uses it: one typed method per deploy-request endpoint. No OkHttp type
 * leaves this package, Jackson only through {@link dev.cutover.planetscale.PlanetScaleJson}, and every
 * non-2xx answer becomes a {@link PlanetScaleException}.
 */
package dev.cutover.planetscale;
