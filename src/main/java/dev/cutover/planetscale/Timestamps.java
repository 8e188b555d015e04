package dev.cutover.planetscale;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PlanetScale's ISO-8601 timestamps ({@code 2023-10-25T16:54:59.797Z}), many of them nullable. */
final class Timestamps {
    private static final Logger log = LoggerFactory.getLogger(Timestamps.class);

    private Timestamps() {}

    /** The instant, or null when the field is null, empty or unreadable (a bad date must not lose the request). */
    static Instant parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notUtc) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                log.warn("Unreadable timestamp '{}' from PlanetScale; treating it as absent",
                        value.length() <= 40 ? value : value.substring(0, 40) + "…");
                return null;
            }
        }
    }
}
