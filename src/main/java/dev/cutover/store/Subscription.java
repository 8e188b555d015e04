package dev.cutover.store;

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
    /** PlanetScale's "send test webhook" button; every subscription gets it so people see the hook works. */
    public static final String WEBHOOK_TEST = "webhook.test";

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

    /** Whether this channel wants the named PlanetScale event. */
    public boolean matches(String eventName) {
        if (WEBHOOK_TEST.equals(eventName)) {
            return true;
        }
        for (String filter : filters) {
            if (filterMatches(filter, eventName)) {
                return true;
            }
        }
        return false;
    }

    private static boolean filterMatches(String filter, String eventName) {
        return switch (filter) {
            case DEPLOYS -> eventName.startsWith("deploy_request.");
            case BRANCHES -> eventName.startsWith("branch.");
            case STORAGE -> eventName.equals("keyspace.storage") || eventName.equals("cluster.storage");
            default -> filter.equals(eventName);
        };
    }
}
