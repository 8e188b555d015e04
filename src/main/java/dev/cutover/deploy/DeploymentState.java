package dev.cutover.deploy;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a deploy request's schema change is: one constant per API {@code deployment_state} value
 * (planetscale-api.md §5.2), plus {@link #UNKNOWN} so that a value PlanetScale adds later never crashes us.
 */
public enum DeploymentState {
    PENDING("pending"),
    READY("ready"),
    NO_CHANGES("no_changes"),
    ERROR("error"),
    QUEUED("queued"),
    SUBMITTING("submitting"),
    IN_PROGRESS("in_progress"),
    IN_PROGRESS_VSCHEMA("in_progress_vschema"),
    PENDING_CUTOVER("pending_cutover"),
    IN_PROGRESS_CUTOVER("in_progress_cutover"),
    IN_PROGRESS_CANCEL("in_progress_cancel"),
    COMPLETE_CANCEL("complete_cancel"),
    CANCELLED("cancelled"),
    COMPLETE_PENDING_REVERT("complete_pending_revert"),
    IN_PROGRESS_REVERT("in_progress_revert"),
    IN_PROGRESS_REVERT_VSCHEMA("in_progress_revert_vschema"),
    COMPLETE_REVERT("complete_revert"),
    COMPLETE("complete"),
    COMPLETE_ERROR("complete_error"),
    COMPLETE_REVERT_ERROR("complete_revert_error"),
    UNKNOWN("unknown");

    private static final Logger log = LoggerFactory.getLogger(DeploymentState.class);
    private static final Map<String, DeploymentState> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(DeploymentState::wire, Function.identity()));

    private final String wire;

    DeploymentState(String wire) {
        this.wire = wire;
    }

    /** The value as PlanetScale spells it. */
    public String wire() {
        return wire;
    }

    /** Maps an API value to a constant; an unseen value is logged and becomes {@link #UNKNOWN}. */
    public static DeploymentState fromWire(String value) {
        if (value == null || value.isEmpty()) {
            return UNKNOWN;
        }
        DeploymentState state = BY_WIRE.get(value);
        if (state == null) {
            log.warn("Unseen deployment_state '{}' from PlanetScale; treating it as unknown", value);
            return UNKNOWN;
        }
        return state;
    }

    /** Nothing more will happen to this deployment. */
    public boolean isTerminal() {
        return switch (this) {
            case COMPLETE, COMPLETE_REVERT, COMPLETE_CANCEL, CANCELLED -> true;
            default -> false;
        };
    }

    /** The schema change is moving through PlanetScale's machinery right now. */
    public boolean isRunning() {
        return switch (this) {
            case QUEUED, SUBMITTING, IN_PROGRESS, IN_PROGRESS_VSCHEMA, IN_PROGRESS_CUTOVER, IN_PROGRESS_CANCEL,
                    IN_PROGRESS_REVERT, IN_PROGRESS_REVERT_VSCHEMA -> true;
            default -> false;
        };
    }

    /** The deploy queue of the target branch is blocked until someone acts (planetscale-api.md §5.5). */
    public boolean blocksQueue() {
        return switch (this) {
            case PENDING_CUTOVER, COMPLETE_PENDING_REVERT, COMPLETE_ERROR, COMPLETE_REVERT_ERROR -> true;
            default -> false;
        };
    }
}
