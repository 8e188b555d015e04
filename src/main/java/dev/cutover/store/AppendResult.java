package dev.cutover.store;

/** What {@link EventJournal#append} did with an event; both outcomes mean "safe to answer 2xx". */
public enum AppendResult {
    /** Recorded now, and will be delivered. */
    APPENDED,
    /** An event with the same dedupe key was recorded before (PlanetScale retried); nothing was written. */
    DUPLICATE
}
