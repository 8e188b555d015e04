package dev.cutover.deploy;

import java.util.Objects;

/**
 * What a PlanetScale event says, once parsed: either a deploy request as it is now, or another event (branch,
 * storage, database, webhook test, unknown) with the little it carries. Delivery switches over the two cases.
 */
public sealed interface PlanetScaleEvent {
    EventType type();

    String database();

    /** Who told Cutover: PlanetScale's webhook (the fast path) or Cutover's own reading of the API (the safety net). */
    enum Source { WEBHOOK, RECONCILIATION }

    /**
     * A {@code deploy_request.*} event: {@code request} is the deploy request as the event describes it.
     *
     * @param actor who did it, when PlanetScale's view names someone the request itself does not (the approver of
     *     {@link EventType#RECONCILED_APPROVED}); null otherwise
     */
    record DeployRequestChanged(EventType type, DeployRequest request, Source source, Actor actor)
            implements PlanetScaleEvent {
        public DeployRequestChanged {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(source, "source");
            if (!type.isDeployRequest()) {
                throw new IllegalArgumentException(type + " is not a deploy request event");
            }
            if (type.family() == EventType.Family.RECONCILED && source != Source.RECONCILIATION) {
                throw new IllegalArgumentException(type + " can only come from reconciliation");
            }
        }

        /** What a webhook said. */
        public DeployRequestChanged(EventType type, DeployRequest request) {
            this(type, request, Source.WEBHOOK, null);
        }

        public boolean isReconciled() {
            return source == Source.RECONCILIATION;
        }

        @Override
        public String database() {
            return request.ref().database();
        }
    }

    /**
     * Any other event.
     *
     * @param wireName PlanetScale's own name for it (kept for {@link EventType#UNKNOWN})
     * @param branch the branch it concerns, or ""
     * @param detail the one figure worth showing (e.g. "91% used" for storage alerts), or ""
     */
    record Other(EventType type, String wireName, String database, String branch, String detail)
            implements PlanetScaleEvent {
        public Other {
            Objects.requireNonNull(type, "type");
            wireName = wireName == null ? type.wire() : wireName;
            database = database == null ? "" : database;
            branch = branch == null ? "" : branch;
            detail = detail == null ? "" : detail;
        }
    }
}
