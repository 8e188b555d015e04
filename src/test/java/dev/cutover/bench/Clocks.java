package dev.cutover.bench;

import java.time.Instant;

/** Wall-clock time in epoch microseconds: comparable across the benchmark's processes on one machine. */
final class Clocks {
    private Clocks() {}

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
