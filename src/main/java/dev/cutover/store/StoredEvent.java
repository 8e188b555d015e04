package dev.cutover.store;

import java.util.Objects;

/**
 * A pending event read back from the journal, with what the worker needs to retry it.
 *
 * @param id the journal's id; ids grow in arrival order
 * @param attempts how many deliveries were tried before (0 on first delivery)
 * @param lastError why the previous attempt failed, or null
 */
public record StoredEvent(long id, int attempts, String lastError, IncomingEvent incoming) {
    public StoredEvent {
        Objects.requireNonNull(incoming, "incoming");
    }
}
