package dev.cutover.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each simulated lifecycle step takes before {@link PlanetScaleSimulator#tick()} moves a deploy
 * request on, and how long the revert window stays open.
 *
 * @param checks deploy checks of a new request ({@code pending} to {@code ready} or {@code error})
 * @param queue time spent {@code queued} when nothing is ahead in the deploy queue
 * @param run the online schema change ({@code in_progress}); progress rises across it
 * @param cutover {@code in_progress_cutover}
 * @param cancel {@code in_progress_cancel}
 * @param revert {@code in_progress_revert}
 * @param revertWindow {@code complete_pending_revert} until the window closes (PlanetScale: 30 minutes)
 */
public record Steps(Duration checks, Duration queue, Duration run, Duration cutover, Duration cancel, Duration revert,
        Duration revertWindow) {
    /** PlanetScale's revert window, a fact of the service. */
    public static final Duration REAL_REVERT_WINDOW = Duration.ofMinutes(30);

    /**
     * Roughly what a small table change takes on PlanetScale: {@code CUTOVER_SANDBOX_SPEED=1}. The live sandbox
     * runs {@link #faster} than this.
     */
    public static final Steps REAL_TIME = new Steps(Duration.ofSeconds(30), Duration.ofSeconds(20),
            Duration.ofSeconds(100), Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(40),
            REAL_REVERT_WINDOW);

    /** What tests step through with a fake clock: a few seconds a step, and the real 30-minute revert window. */
    public static final Steps DEFAULT = new Steps(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(4), REAL_REVERT_WINDOW);

    public Steps {
        for (Duration step : new Duration[] {checks, queue, run, cutover, cancel, revert, revertWindow}) {
            Objects.requireNonNull(step, "step");
            if (step.isNegative()) {
                throw new IllegalArgumentException("a step cannot take negative time: " + step);
            }
        }
    }

    /** Every step, the revert window included, {@code speed} times shorter ({@code 1} changes nothing). */
    public Steps faster(double speed) {
        if (!(speed >= 1)) {
            throw new IllegalArgumentException("speed must be at least 1, got " + speed);
        }
        return new Steps(divide(checks, speed), divide(queue, speed), divide(run, speed), divide(cutover, speed),
                divide(cancel, speed), divide(revert, speed), divide(revertWindow, speed));
    }

    /** {@code realTime} shrunk as much as this revert window is shorter than PlanetScale's (reminder leads). */
    public Duration scale(Duration realTime) {
        return Duration.ofMillis(Math.round(realTime.toMillis()
                * ((double) revertWindow.toMillis() / REAL_REVERT_WINDOW.toMillis())));
    }

    private static Duration divide(Duration duration, double speed) {
        return Duration.ofMillis(Math.round(duration.toMillis() / speed));
    }
}
