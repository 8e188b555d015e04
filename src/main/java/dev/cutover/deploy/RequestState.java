package dev.cutover.deploy;

import java.util.Locale;

/** The {@code state} of the request itself: open (including the revert window) or closed. */
public enum RequestState {
    OPEN("open"),
    CLOSED("closed"),
    UNKNOWN("unknown");

    private final String wire;

    RequestState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static RequestState fromWire(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "open" -> OPEN;
            case "closed" -> CLOSED;
            default -> UNKNOWN;
        };
    }
}
