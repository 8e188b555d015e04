/**
 * {@code /pscale doctor}: every check an operator would otherwise make by hand, one line each with its fix. The same
 * report is served as JSON at {@code GET /healthz?verbose}.
 */
package dev.cutover.doctor;
