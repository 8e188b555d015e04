/**
 * The audit record: every attempted write through Cutover, with who asked, as whom it reached PlanetScale, the policy
 * rule and the outcome. Kept append-only in the store for {@code CUTOVER_AUDIT_RETENTION} and optionally streamed as
 * JSON Lines to {@code CUTOVER_AUDIT_LOG}.
 */
package dev.cutover.audit;
