package dev.cutover.deploy;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every PlanetScale webhook event Cutover understands (planetscale-api.md §7), each with its wire name and
 * family. Like {@link DeploymentState}, an unseen name maps to {@link #UNKNOWN} and never crashes us. Code that
 * words, attributes or filters events switches over this enum without a {@code default}, so a new constant does
 * not compile until every decision about it is made.
 */
public enum EventType {
    DEPLOY_REQUEST_OPENED("deploy_request.opened", Family.DEPLOYS),
    DEPLOY_REQUEST_QUEUED("deploy_request.queued", Family.DEPLOYS),
    DEPLOY_REQUEST_IN_PROGRESS("deploy_request.in_progress", Family.DEPLOYS),
    DEPLOY_REQUEST_PENDING_CUTOVER("deploy_request.pending_cutover", Family.DEPLOYS),
    DEPLOY_REQUEST_SCHEMA_APPLIED("deploy_request.schema_applied", Family.DEPLOYS),
    DEPLOY_REQUEST_ERRORED("deploy_request.errored", Family.DEPLOYS),
    DEPLOY_REQUEST_REVERTED("deploy_request.reverted", Family.DEPLOYS),
    DEPLOY_REQUEST_CLOSED("deploy_request.closed", Family.DEPLOYS),
    BRANCH_READY("branch.ready", Family.BRANCHES),
    BRANCH_SLEEPING("branch.sleeping", Family.BRANCHES),
    BRANCH_ANOMALY("branch.anomaly", Family.BRANCHES),
    BRANCH_PRIMARY_PROMOTED("branch.primary_promoted", Family.BRANCHES),
    BRANCH_START_MAINTENANCE("branch.start_maintenance", Family.BRANCHES),
    BRANCH_OUT_OF_MEMORY("branch.out_of_memory", Family.BRANCHES),
    BRANCH_SCHEMA_RECOMMENDATION("branch.schema_recommendation", Family.BRANCHES),
    KEYSPACE_STORAGE("keyspace.storage", Family.STORAGE),
    CLUSTER_STORAGE("cluster.storage", Family.STORAGE),
    DATABASE_ACCESS_REQUEST("database.access_request", Family.DATABASE),
    WEBHOOK_TEST("webhook.test", Family.TEST),
    /**
     * Reconciliation found an approval PlanetScale sends no webhook for (planetscale-api.md §7.5 "Gaps"). The wire
     * names of this family are Cutover's own: PlanetScale never sends them, and intake ignores them if it did.
     */
    RECONCILED_APPROVED("cutover.deploy_request.approved", Family.RECONCILED),
    /** Reconciliation found a state PlanetScale sends no webhook for (ready, no changes, cancelled, …). */
    RECONCILED_CHANGED("cutover.deploy_request.changed", Family.RECONCILED),
    /** A name PlanetScale sends that this version does not know; acknowledged, counted and otherwise ignored. */
    UNKNOWN("", Family.UNKNOWN);

    /**
     * Related events; a channel can subscribe to the first three as a group. {@code RECONCILED} are deploy-request
     * changes only reconciliation can see; they reach whoever follows {@code deploys}.
     */
    public enum Family { DEPLOYS, BRANCHES, STORAGE, DATABASE, TEST, RECONCILED, UNKNOWN }

    private static final Logger log = LoggerFactory.getLogger(EventType.class);
    private static final Map<String, EventType> BY_WIRE = Arrays.stream(values()).filter(type -> type != UNKNOWN)
            .collect(Collectors.toUnmodifiableMap(EventType::wire, Function.identity()));
    /** Unseen names already logged: one line per name, however often PlanetScale sends it. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final int MAX_LOGGED = 1_000;

    private final String wire;
    private final Family family;

    EventType(String wire, Family family) {
        this.wire = wire;
        this.family = family;
    }

    /** The name PlanetScale uses, e.g. {@code deploy_request.queued} ("" for {@link #UNKNOWN}). */
    public String wire() {
        return wire;
    }

    public Family family() {
        return family;
    }

    /** Whether the event carries a deploy request (and so belongs to a card's thread). */
    public boolean isDeployRequest() {
        return family == Family.DEPLOYS || family == Family.RECONCILED;
    }

    /** Whether PlanetScale itself sends this event (false for Cutover's own reconciliation-born events). */
    public boolean isSentByPlanetScale() {
        return family != Family.RECONCILED && this != UNKNOWN;
    }

    /** The constant for a wire name; an unseen name is logged once and answers {@link #UNKNOWN}. */
    public static EventType fromWire(String value) {
        EventType type = value == null ? null : BY_WIRE.get(value);
        if (type != null) {
            return type;
        }
        String name = value == null ? "" : value;
        if (LOGGED.size() < MAX_LOGGED && LOGGED.add(name)) {
            log.warn("Unseen PlanetScale event '{}'; acknowledging and ignoring it", name.length() > 100
                    ? name.substring(0, 100) + "…" : name);
        }
        return UNKNOWN;
    }

    /** Whether {@code value} is a name this version knows, without logging anything. */
    public static boolean isKnown(String value) {
        return value != null && BY_WIRE.containsKey(value);
    }
}
