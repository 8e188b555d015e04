package dev.cutover.store;

import dev.cutover.deploy.EventType;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A channel following one database. Each filter is a group ({@value #DEPLOYS}, {@value #BRANCHES},
 * {@value #STORAGE}) or an exact PlanetScale event name such as {@code deploy_request.errored}.
 *
 * @param filters at least one; lowercase names of letters, digits, {@code _} and {@code .}
 */
public record Subscription(String channelId, String database, Set<String> filters, String createdBy,
        Instant createdAt) {
    /** Every {@code deploy_request.*} event. */
    public static final String DEPLOYS = "deploys";
    /** Every {@code branch.*} event. */
    public static final String BRANCHES = "branches";
    /** {@code keyspace.storage} and {@code cluster.storage}. */
    public static final String STORAGE = "storage";

    private static final Pattern FILTER = Pattern.compile("[a-z][a-z0-9_.]{0,99}");

    public Subscription {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        filters = Set.copyOf(Objects.requireNonNull(filters, "filters"));
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("a subscription needs at least one filter");
        }
        for (String filter : filters) {
            if (!FILTER.matcher(filter).matches()) {
                throw new IllegalArgumentException("not a filter or event name: " + filter);
            }
        }
    }

    /**
     * Whether this channel wants the PlanetScale event {@code type}. PlanetScale's "send test webhook" reaches every
     * subscription, so people see the hook works.
     */
    public boolean matches(EventType type) {
        if (type == EventType.WEBHOOK_TEST) {
            return true;
        }
        for (String filter : filters) {
            if (filter.equals(type.wire()) || filter.equals(familyKeyword(type.family()))) {
                return true;
            }
        }
        return false;
    }

    /** The subscription keyword of a family; families nobody subscribes to as a group have none. */
    private static String familyKeyword(EventType.Family family) {
        return switch (family) {
            case DEPLOYS, RECONCILED -> DEPLOYS;
            case BRANCHES -> BRANCHES;
            case STORAGE -> STORAGE;
            case DATABASE, TEST, UNKNOWN -> "";
        };
    }
}
