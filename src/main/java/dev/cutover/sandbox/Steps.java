package dev.cutover.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each simulated lifecycle step takes before {@link PlanetScaleSimulator#tick()} moves a deploy
 * request on. The revert window is not here: PlanetScale fixes it at 30 minutes.
 *
 * @param checks deploy checks of a new request ({@code pending} to {@code ready} or {@code error})
 * @param queue time spent {@code queued} when nothing is ahead in the deploy queue
 * @param run the online schema change ({@code in_progress}); progress rises across it
 * @param cutover {@code in_progress_cutover}
 * @param cancel {@code in_progress_cancel}
 * @param revert {@code in_progress_revert}
 */
public record Steps(Duration checks, Duration queue, Duration run, Duration cutover, Duration cancel, Duration revert) {
    /** A few seconds each, so a person watching the sandbox sees every state go by. */
    public static final Steps DEFAULT = new Steps(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(4));

    public Steps {
        for (Duration step : new Duration[] {checks, queue, run, cutover, cancel, revert}) {
            Objects.requireNonNull(step, "step");
            if (step.isNegative()) {
                throw new IllegalArgumentException("a step cannot take negative time: " + step);
            }
        }
    }
}
