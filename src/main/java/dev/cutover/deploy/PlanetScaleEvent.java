package dev.cutover.deploy;

import java.util.Objects;

/**
 * What a PlanetScale event says, once parsed: either a deploy request as it is now, or another event (branch,
 * storage, database, webhook test, unknown) with the little it carries. Delivery switches over the two cases.
 */
public sealed interface PlanetScaleEvent {
    EventType type();

    String database();

    /** A {@code deploy_request.*} event: {@code request} is the deploy request as the event describes it. */
    record DeployRequestChanged(EventType type, DeployRequest request) implements PlanetScaleEvent {
        public DeployRequestChanged {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(request, "request");
            if (!type.isDeployRequest()) {
                throw new IllegalArgumentException(type + " is not a deploy request event");
            }
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
