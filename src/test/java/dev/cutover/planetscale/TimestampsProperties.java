package dev.cutover.planetscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The hand-read UTC form must mean exactly what {@link Instant#parse} means, and step aside for anything else. */
class TimestampsProperties {
    @Property(tries = 2000)
    void theFastPath_readsEveryCanonicalInstant_asInstantParseDoes(
            @ForAll @LongRange(min = 0, max = 253_402_300_799L) long seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos, @ForAll @IntRange(min = 0, max = 9) int digits) {
        String whole = Instant.ofEpochSecond(seconds).toString(); // yyyy-MM-ddTHH:mm:ssZ
        String fraction = digits == 0 ? "" : "." + String.format("%09d", nanos).substring(0, digits);
        String text = whole.substring(0, whole.length() - 1) + fraction + "Z";

        assertThat(Timestamps.utc(text)).isEqualTo(Instant.parse(text));
    }

    @Property(tries = 3000)
    void theFastPath_neverDisagreesWithInstantParse(@ForAll @Size(min = 18, max = 32) String noise) {
        check(noise);
    }

    @Example
    void nearMisses_takeTheSlowPathOrAreAbsent() {
        for (String text : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-01T24:00:00Z",
                "2026-12-01T23:59:60Z", "2026-12-01T10:00:00.Z", "2026-12-01T10:00:00.1234567890Z",
                "2026-12-01T10:00:00+01:00", "2026-12-01 10:00:00Z", "+2026-12-01T10:00:00Z", "2026-12-01T1a:00:00Z",
                "2026-12-01T10:00:00.5Z", "0000-01-01T00:00:00Z"}) {
            check(text);
        }
    }

    private static void check(String text) {
        Instant fast = Timestamps.utc(text);
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeParseException e) {
            expected = null;
        }
        if (fast != null) {
            assertThat(fast).as(text).isEqualTo(expected);
        }
        assertThat(Timestamps.parseQuietly(text)).as(text).isEqualTo(expected);
    }
}
