package dev.cutover.deploy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one deploy request: PlanetScale addresses them by organization, database and a small per-database
 * number (never by id). Also the one codec for a button's {@code value}.
 */
public record DeployRef(String org, String database, int number) {
    /** PlanetScale organization and database names: lowercase letters, digits, dashes and underscores. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public DeployRef {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(database, "database");
        if (!isValidName(org)) {
            throw new IllegalArgumentException("invalid organization name: " + org);
        }
        if (!isValidName(database)) {
            throw new IllegalArgumentException("invalid database name: " + database);
        }
        if (number <= 0) {
            throw new IllegalArgumentException("deploy request numbers start at 1, got " + number);
        }
    }

    /**
     * The same deploy request with organization and database names case-folded, as PlanetScale treats them (its
     * names are lowercase; {@code Shop} and {@code shop} are one database). Locks and caches key on this form, so
     * {@code deploy Shop 3} and {@code deploy shop 3} cannot run side by side.
     */
    public DeployRef normalized() {
        String foldedOrg = org.toLowerCase(java.util.Locale.ROOT);
        String foldedDatabase = database.toLowerCase(java.util.Locale.ROOT);
        return foldedOrg.equals(org) && foldedDatabase.equals(database) ? this
                : new DeployRef(foldedOrg, foldedDatabase, number);
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Encodes this reference for a Block Kit button value ({@code org/database/number}). */
    public String toButtonValue() {
        return org + "/" + database + "/" + number;
    }

    /**
     * Decodes a button value made by {@link #toButtonValue()}.
     *
     * @throws IllegalArgumentException when the value is not a reference (a crafted or foreign payload)
     */
    public static DeployRef fromButtonValue(String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing button value");
        }
        String[] parts = value.split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a deploy request reference: " + value);
        }
        try {
            return new DeployRef(parts[0], parts[1], Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a deploy request number: " + parts[2], e);
        }
    }

    /** The short form people write and read: {@code shop#7}. */
    @Override
    public String toString() {
        return database + "#" + number;
    }
}
