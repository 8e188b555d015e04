package dev.cutover.planetscale;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
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
        Instant fast = utc(value);
        if (fast != null) {
            return fast;
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

    /** As {@link Instant#parse}, but null instead of an exception and without a word: for keys, not for display. */
    static Instant parseQuietly(String value) {
        if (value == null) {
            return null;
        }
        Instant fast = utc(value);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The form PlanetScale always sends, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, read by hand; null for anything
     * else, which then takes {@code DateTimeFormatter}'s path. That formatter was 9 % of webhook intake's CPU for
     * one timestamp, and a deploy request carries a dozen.
     */
    static Instant utc(String value) {
        int length = value.length();
        if (length < 20 || length > 30 || value.charAt(4) != '-' || value.charAt(7) != '-' || value.charAt(10) != 'T'
                || value.charAt(13) != ':' || value.charAt(16) != ':' || value.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 7);
        int day = digits(value, 8, 10);
        int hour = digits(value, 11, 13);
        int minute = digits(value, 14, 16);
        int second = digits(value, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fractionDigits = length - 21;
            if (value.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            int fraction = digits(value, 20, length - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        } else if (value.charAt(19) != 'Z') {
            return null;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException e) {
            return null; // 2026-02-30 and the like
        }
    }

    /** The decimal number in {@code value[from, to)}, or -1 when any of it is not an ASCII digit. */
    private static int digits(String value, int from, int to) {
        int number = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }
}
