package dev.cutover.deploy;

import static dev.cutover.deploy.DeployAction.APPLY;
import static dev.cutover.deploy.DeployAction.APPROVE;
import static dev.cutover.deploy.DeployAction.CANCEL;
import static dev.cutover.deploy.DeployAction.CLOSE;
import static dev.cutover.deploy.DeployAction.COMMENT;
import static dev.cutover.deploy.DeployAction.DEPLOY;
import static dev.cutover.deploy.DeployAction.DEPLOY_INSTANT;
import static dev.cutover.deploy.DeployAction.REVERT;
import static dev.cutover.deploy.DeployAction.SKIP_REVERT;
import static dev.cutover.deploy.DeployAction.UNBLOCK;
import static dev.cutover.deploy.DeploymentState.CANCELLED;
import static dev.cutover.deploy.DeploymentState.COMPLETE;
import static dev.cutover.deploy.DeploymentState.COMPLETE_CANCEL;
import static dev.cutover.deploy.DeploymentState.COMPLETE_ERROR;
import static dev.cutover.deploy.DeploymentState.COMPLETE_PENDING_REVERT;
import static dev.cutover.deploy.DeploymentState.COMPLETE_REVERT;
import static dev.cutover.deploy.DeploymentState.COMPLETE_REVERT_ERROR;
import static dev.cutover.deploy.DeploymentState.ERROR;
import static dev.cutover.deploy.DeploymentState.IN_PROGRESS;
import static dev.cutover.deploy.DeploymentState.IN_PROGRESS_CANCEL;
import static dev.cutover.deploy.DeploymentState.IN_PROGRESS_CUTOVER;
import static dev.cutover.deploy.DeploymentState.IN_PROGRESS_REVERT;
import static dev.cutover.deploy.DeploymentState.IN_PROGRESS_REVERT_VSCHEMA;
import static dev.cutover.deploy.DeploymentState.IN_PROGRESS_VSCHEMA;
import static dev.cutover.deploy.DeploymentState.NO_CHANGES;
import static dev.cutover.deploy.DeploymentState.PENDING;
import static dev.cutover.deploy.DeploymentState.PENDING_CUTOVER;
import static dev.cutover.deploy.DeploymentState.QUEUED;
import static dev.cutover.deploy.DeploymentState.READY;
import static dev.cutover.deploy.DeploymentState.SUBMITTING;
import static dev.cutover.deploy.DeploymentState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which actions each deploy request offers, written out by hand from PlanetScale's documented behaviour
 * (planetscale-api.md §5.5 "State → actions", with §5.1 for open/closed and §5.3 for unknown states), not from
 * {@link AvailableActions}. A ✅ or 🟡 cell counts as "may be offered", a "—" as "must not be". The table's
 * force-cutover and auto-apply columns have no {@link DeployAction} and are left out.
 *
 * <p>Where the code departs from the table, the row says so in {@link Row#deviation} with the reason; the
 * departure is asserted as it is today (so a change to either side shows up here) and was reported to the lead.
 */
class AvailableActionsTest {

    /**
     * One row of §5.5 for an open request. {@code approved}: at least one approval recorded;
     * {@code approvalRequired}: the database's {@code require_approval_for_deploy}; {@code deployable} and
     * {@code instantEligible}: {@code deployment.deployable} and {@code deployment.instant_ddl_eligible}.
     */
    record Row(DeploymentState state, boolean approved, boolean approvalRequired, boolean deployable,
            boolean instantEligible, Set<DeployAction> table, Deviation deviation) {
        @Override
        public String toString() {
            return state.wire() + (approved ? " approved" : " unapproved")
                    + (approvalRequired ? ", approval required" : "") + (deployable ? ", deployable" : "")
                    + (instantEligible ? ", instant eligible" : "") + " → " + table
                    + (deviation == Deviation.NONE ? "" : " (code differs: " + deviation.reason + ")");
        }
    }

    /** Where today's code offers something other than the table, and why that is not (clearly) a bug. */
    enum Deviation {
        NONE(Set.of(), Set.of(), ""),
        /** §5.5 marks approve ✅ in pending/ready without regard to earlier approvals. */
        NO_SECOND_APPROVAL(Set.of(APPROVE), Set.of(),
                "approve hidden once approved: `approved` means one approval is already recorded"),
        /** §5.5 marks approve/comment 🟡 (likely accepted, unconfirmed) for no_changes and error. */
        NO_APPROVE_WITHOUT_CHANGES(Set.of(APPROVE), Set.of(),
                "approve not offered where §5.5 has 🟡: nothing deployable to approve");

        final Set<DeployAction> codeOmits;
        final Set<DeployAction> codeAdds;
        final String reason;

        Deviation(Set<DeployAction> codeOmits, Set<DeployAction> codeAdds, String reason) {
            this.codeOmits = codeOmits;
            this.codeAdds = codeAdds;
            this.reason = reason;
        }
    }

    private static final Set<DeployAction> NOTHING = Set.of();

    static Stream<Row> openRequests() {
        return Stream.of(
                // pending: approve/comment ✅, deploy — (wait for checks), close ✅.
                row(PENDING, false, true, false, false, Set.of(APPROVE, COMMENT, CLOSE)),
                row(PENDING, true, true, false, false, Set.of(APPROVE, COMMENT, CLOSE), Deviation.NO_SECOND_APPROVAL),

                // ready: approve/comment ✅, close ✅; deploy ✅ if deployable and (approved or approval not
                // required); deploy instant ✅ if that holds and instant_ddl_eligible.
                row(READY, false, false, true, false, Set.of(APPROVE, COMMENT, DEPLOY, CLOSE)),
                row(READY, false, false, true, true, Set.of(APPROVE, COMMENT, DEPLOY, DEPLOY_INSTANT, CLOSE)),
                row(READY, false, true, true, false, Set.of(APPROVE, COMMENT, CLOSE)),
                row(READY, false, true, true, true, Set.of(APPROVE, COMMENT, CLOSE)),
                row(READY, true, true, true, false, Set.of(APPROVE, COMMENT, DEPLOY, CLOSE),
                        Deviation.NO_SECOND_APPROVAL),
                row(READY, true, true, true, true, Set.of(APPROVE, COMMENT, DEPLOY, DEPLOY_INSTANT, CLOSE),
                        Deviation.NO_SECOND_APPROVAL),
                row(READY, true, false, true, true, Set.of(APPROVE, COMMENT, DEPLOY, DEPLOY_INSTANT, CLOSE),
                        Deviation.NO_SECOND_APPROVAL),
                row(READY, false, false, false, true, Set.of(APPROVE, COMMENT, CLOSE)),
                row(READY, true, false, false, true, Set.of(APPROVE, COMMENT, CLOSE), Deviation.NO_SECOND_APPROVAL),

                // no_changes, error: approve/comment 🟡, close ✅; error is not unblockable (CLI refuses).
                row(NO_CHANGES, false, false, true, true, Set.of(APPROVE, COMMENT, CLOSE),
                        Deviation.NO_APPROVE_WITHOUT_CHANGES),
                row(ERROR, false, false, true, true, Set.of(APPROVE, COMMENT, CLOSE),
                        Deviation.NO_APPROVE_WITHOUT_CHANGES),

                // queued: cancel ✅. submitting, in_progress: cancel 🟡 (cancel before cutover).
                row(QUEUED, false, false, true, true, Set.of(CANCEL)),
                row(SUBMITTING, false, false, true, true, Set.of(CANCEL)),
                row(IN_PROGRESS, false, false, true, true, Set.of(CANCEL)),
                row(IN_PROGRESS_VSCHEMA, false, false, true, true, NOTHING),

                // pending_cutover (gated): apply ✅, cancel 🟡; unblock — (the CLI points to apply).
                row(PENDING_CUTOVER, false, false, true, true, Set.of(APPLY, CANCEL)),
                // in_progress_cutover: only force-cutover (offered on the card only once it looks stuck).
                row(IN_PROGRESS_CUTOVER, false, false, true, true, EnumSet.of(DeployAction.FORCE_CUTOVER)),
                row(IN_PROGRESS_CANCEL, false, false, true, true, NOTHING),

                // complete_cancel, cancelled: close ✅; deploy 🟡 is annotated "re-deploy not possible"
                // (cancelled deploy requests cannot be restarted), so it is read as not offered.
                row(COMPLETE_CANCEL, false, false, true, true, Set.of(CLOSE)),
                row(CANCELLED, false, false, true, true, Set.of(CLOSE)),

                // complete_pending_revert: deployed, revert window open, request still open: revert ✅, skip ✅.
                row(COMPLETE_PENDING_REVERT, false, false, true, true, Set.of(REVERT, SKIP_REVERT)),
                row(IN_PROGRESS_REVERT, false, false, true, true, NOTHING),
                row(IN_PROGRESS_REVERT_VSCHEMA, false, false, true, true, NOTHING),

                // complete_error, complete_revert_error: unblock (complete-deploy) ✅, nothing else.
                row(COMPLETE_ERROR, false, false, true, true, Set.of(UNBLOCK)),
                row(COMPLETE_REVERT_ERROR, false, false, true, true, Set.of(UNBLOCK)),

                // complete, complete_revert: — everywhere (PlanetScale has closed the request; also if a stale
                // copy still says open).
                row(COMPLETE, false, false, true, true, NOTHING),
                row(COMPLETE_REVERT, false, false, true, true, NOTHING),

                // §5.3: an unknown value offers only "Open in PlanetScale" and "Refresh", no write.
                row(UNKNOWN, false, false, true, true, NOTHING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openRequests")
    void openRequest_offersWhatPlanetScaleDocuments(Row row) {
        Set<DeployAction> expected = EnumSet.noneOf(DeployAction.class);
        expected.addAll(row.table());
        expected.removeAll(row.deviation().codeOmits);
        expected.addAll(row.deviation().codeAdds);

        Set<DeployAction> offered = AvailableActions.of(request(row.state(), RequestState.OPEN, row.approved(),
                row.deployable(), row.instantEligible()), row.approvalRequired());

        assertThat(offered).as(row.toString()).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** §5.5: "All write actions also require state == open (a closed DR accepts nothing)". */
    @ParameterizedTest
    @EnumSource(DeploymentState.class)
    void closedRequest_offersNothing_inEveryDeploymentState(DeploymentState state) {
        for (boolean approvalRequired : List.of(false, true)) {
            Set<DeployAction> offered = AvailableActions.of(request(state, RequestState.CLOSED, true, true, true),
                    approvalRequired);

            assertThat(offered).as(state.wire()).isEmpty();
        }
    }

    /** A request whose {@code state} we could not read is not known to be open, so it gets no writes either. */
    @ParameterizedTest
    @EnumSource(DeploymentState.class)
    void requestOfUnknownOpenness_offersNothing(DeploymentState state) {
        assertThat(AvailableActions.of(request(state, RequestState.UNKNOWN, false, true, true), false)).isEmpty();
    }

    /** Every deployment state has at least one row above, so a new constant needs a new row. */
    @Test
    void everyDeploymentState_hasARowFromTheTable() {
        Set<DeploymentState> covered = EnumSet.noneOf(DeploymentState.class);
        openRequests().forEach(row -> covered.add(row.state()));

        assertThat(covered).containsExactlyInAnyOrder(DeploymentState.values());
    }

    /** {@code allows} answers from the same table, including for a write the state does not allow. */
    @Test
    void allows_agreesWithTheTable() {
        DeployRequest pendingRevert = request(COMPLETE_PENDING_REVERT, RequestState.OPEN, false, true, true);

        assertThat(AvailableActions.allows(pendingRevert, false, SKIP_REVERT)).isTrue();
        assertThat(AvailableActions.allows(pendingRevert, false, DEPLOY)).isFalse();
        assertThat(AvailableActions.allows(request(READY, RequestState.OPEN, false, true, false), true, DEPLOY))
                .isFalse();
    }

    private static Row row(DeploymentState state, boolean approved, boolean approvalRequired, boolean deployable,
            boolean instantEligible, Set<DeployAction> table) {
        return row(state, approved, approvalRequired, deployable, instantEligible, table, Deviation.NONE);
    }

    private static Row row(DeploymentState state, boolean approved, boolean approvalRequired, boolean deployable,
            boolean instantEligible, Set<DeployAction> table, Deviation deviation) {
        return new Row(state, approved, approvalRequired, deployable, instantEligible, table, deviation);
    }

    private static DeployRequest request(DeploymentState state, RequestState requestState, boolean approved,
            boolean deployable, boolean instantEligible) {
        Deployment deployment = new Deployment("dep-1", state, 7, deployable, "", List.of(), instantEligible, false,
                false, List.of(), null, null, null, null, false, "", false, null, null, null);
        Instant at = Instant.parse("2026-11-21T12:00:00Z");
        return new DeployRequest(new DeployRef("acme", "shop", 7), "dr-1", new Actor("u1", "Jane Doe"),
                "add-orders-index", "main", approved, requestState, state, deployment, "", null, 0, at, at, null,
                null, null);
    }
}
