package dev.cutover.sandbox;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One table's DDL inside a simulated deployment. Mutable; guarded by the organization's lock. */
final class SimulatedOperation {
    private static final Pattern TABLE_DDL = Pattern.compile(
            "^\\s*(CREATE|ALTER|DROP|RENAME)\\s+TABLE\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?`?([A-Za-z0-9_$]+)`?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DROPS_DATA = Pattern.compile(
            "^\\s*DROP\\s+TABLE|\\bDROP\\s+COLUMN\\b", Pattern.CASE_INSENSITIVE);

    final String id;
    final String shardOperationId;
    final String keyspace;
    final String table;
    final String operationName;
    final String ddl;
    final boolean canDropData;
    Instant createdAt;
    /** {@code pending}, {@code queued}, {@code in_progress}, {@code complete}, {@code cancelled} or {@code error}. */
    String state = "pending";
    Double progressPercentage;
    Double etaSeconds;
    String deployErrors;
    /** The revert operation's state: null before a revert, then {@code submit} and {@code complete}. */
    String revertState;
    Instant updatedAt;

    SimulatedOperation(String id, String shardOperationId, String keyspace, String ddl, Instant now) {
        this.id = id;
        this.shardOperationId = shardOperationId;
        this.keyspace = keyspace;
        this.ddl = ddl.strip();
        Matcher matcher = TABLE_DDL.matcher(this.ddl);
        boolean matched = matcher.find();
        this.operationName = matched ? matcher.group(1).toUpperCase(Locale.ROOT) : "ALTER";
        this.table = matched ? matcher.group(2) : "";
        this.canDropData = DROPS_DATA.matcher(this.ddl).find();
        this.createdAt = now;
        this.updatedAt = now;
    }

    void moveTo(String newState, Double progress, Double eta, Instant now) {
        state = newState;
        progressPercentage = progress;
        etaSeconds = eta;
        updatedAt = now;
    }
}
