package dev.cutover.sandbox;

import dev.cutover.deploy.Actor;
import dev.cutover.deploy.LintError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A deploy request a test or the demo puts into the simulator directly, as if someone had opened it in the
 * dashboard. Start from {@link #of} and refine with the {@code with…} methods; each returns a new seed.
 *
 * @param autoCutover PlanetScale's auto-apply: false makes a gated deployment that stops in {@code pending_cutover}
 * @param checked skip the deploy checks: the request starts {@code ready} (or {@code error} with lint errors)
 *     instead of {@code pending}
 * @param failsWhileRunning the deployment stops in {@code complete_error} instead of finishing
 */
public record DeployRequestSeed(
        String database,
        String branch,
        String intoBranch,
        Actor author,
        String notes,
        boolean autoCutover,
        boolean instantEligible,
        List<String> ddl,
        List<LintError> lintErrors,
        boolean approved,
        boolean checked,
        boolean failsWhileRunning,
        boolean hangsAtCutover) {
    public DeployRequestSeed {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(intoBranch, "intoBranch");
        Objects.requireNonNull(author, "author");
        notes = notes == null ? "" : notes;
        ddl = List.copyOf(ddl);
        lintErrors = List.copyOf(lintErrors);
        if (ddl.isEmpty()) {
            throw new IllegalArgumentException("a deploy request needs at least one DDL statement");
        }
    }

    /** An auto-applying, not instant-eligible, unapproved request into {@code main}, with checks still to run. */
    public static DeployRequestSeed of(String database, String branch, Actor author, List<String> ddl) {
        return new DeployRequestSeed(database, branch, "main", author, "", true, false, ddl, List.of(), false, false,
                false, false);
    }

    public DeployRequestSeed withIntoBranch(String target) {
        return new DeployRequestSeed(database, branch, target, author, notes, autoCutover, instantEligible, ddl,
                lintErrors, approved, checked, failsWhileRunning, hangsAtCutover);
    }

    public DeployRequestSeed withNotes(String text) {
        return new DeployRequestSeed(database, branch, intoBranch, author, text, autoCutover, instantEligible, ddl,
                lintErrors, approved, checked, failsWhileRunning, hangsAtCutover);
    }

    /** Turns auto-apply off: the deployment waits in {@code pending_cutover} for apply-deploy. */
    public DeployRequestSeed gated() {
        return new DeployRequestSeed(database, branch, intoBranch, author, notes, false, instantEligible, ddl,
                lintErrors, approved, checked, failsWhileRunning, hangsAtCutover);
    }

    public DeployRequestSeed withInstantEligible() {
        return new DeployRequestSeed(database, branch, intoBranch, author, notes, autoCutover, true, ddl, lintErrors,
                approved, checked, failsWhileRunning, hangsAtCutover);
    }

    /** Adds a lint error; the deploy checks then end in {@code error}. */
    public DeployRequestSeed withLintError(String code, String table, String description) {
        List<LintError> errors = new ArrayList<>(lintErrors);
        errors.add(new LintError(code, database, table, description,
                "https://planetscale.com/docs/concepts/deploy-requests#deploy-request-errors"));
        return new DeployRequestSeed(database, branch, intoBranch, author, notes, autoCutover, instantEligible, ddl,
                errors, approved, checked, failsWhileRunning, hangsAtCutover);
    }

    /** Records an approval (by someone other than the author) before the request is handed over. */
    public DeployRequestSeed withApproval() {
        return new DeployRequestSeed(database, branch, intoBranch, author, notes, autoCutover, instantEligible, ddl,
                lintErrors, true, checked, failsWhileRunning, hangsAtCutover);
    }

    public DeployRequestSeed withChecksDone() {
        return new DeployRequestSeed(database, branch, intoBranch, author, notes, autoCutover, instantEligible, ddl,
                lintErrors, approved, true, failsWhileRunning, hangsAtCutover);
    }

    /** The cutover hangs (as on metadata locks) until someone forces it ({@code force-cutover}). */
    public DeployRequestSeed stuckAtCutover() {
        return new DeployRequestSeed(database, branch, intoBranch, author, notes, autoCutover, instantEligible, ddl,
                lintErrors, approved, checked, failsWhileRunning, true);
    }

    public DeployRequestSeed failingWhileRunning() {
        return new DeployRequestSeed(database, branch, intoBranch, author, notes, autoCutover, instantEligible, ddl,
                lintErrors, approved, checked, true, hangsAtCutover);
    }
}
