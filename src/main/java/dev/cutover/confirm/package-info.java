/**
 * How much a person must confirm before Cutover writes: one decision per action and deploy request
 * ({@link dev.cutover.confirm.RiskAssessment}), the modals that ask for it, and requests a second person confirms.
 * Friction grows with what can be lost: a dialog for additive changes, a typed name for dropped data.
 */
package dev.cutover.confirm;
