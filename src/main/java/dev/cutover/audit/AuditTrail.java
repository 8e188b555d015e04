package dev.cutover.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.store.AuditEntry;
import dev.cutover.store.AuditLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every attempted write is recorded: durably in the store (append-only; only {@link #purge} removes entries
 * older than {@code CUTOVER_AUDIT_RETENTION}) and, with {@code CUTOVER_AUDIT_LOG} set, as one JSON object per line
 * appended to that file for a SIEM. Entries carry no secrets (no token, no review text). Thread-safe.
 */
public final class AuditTrail {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);
    /** Entries one {@code /pscale audit} page shows. */
    public static final int PAGE = 20;
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditLog store;
    private final Optional<Path> stream;
    private final Clock clock;
    private final Duration retention;

    public AuditTrail(AuditLog store, Optional<Path> stream, Clock clock, Duration retention) {
        this.store = store;
        this.stream = stream;
        this.clock = clock;
        this.retention = retention;
    }

    /**
     * Records the entry in the store, then on the stream. A store failure is logged and the entry still goes to the
     * stream: the write it describes has already happened and must not be reported as failed because of the record.
     */
    public AuditEntry record(AuditEntry entry) {
        AuditEntry stored = entry;
        try {
            stored = store.append(entry);
        } catch (RuntimeException e) {
            log.error("Could not store the audit record of {} {}#{} by {}: {}", entry.action(), entry.database(),
                    entry.number(), entry.slackUserId(), e.toString());
        }
        stream.ifPresent(path -> append(path, toJson(entry)));
        return stored;
    }

    /** Recorded entries of a database (and deploy request), newest first, one page older than {@code beforeId}. */
    public List<AuditEntry> recent(String database, Optional<Integer> number, long beforeId, int limit) {
        return store.recent(database, number, beforeId, limit);
    }

    /** Deletes entries older than the retention; returns how many went. */
    public int purge() {
        return store.purgeBefore(clock.instant().minus(retention));
    }

    public Duration retention() {
        return retention;
    }

    static String toJson(AuditEntry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("at", entry.at().toString());
        node.put("slack_team_id", entry.teamId());
        node.put("slack_user_id", entry.slackUserId());
        node.put("identity", entry.identity());
        node.put("planetscale_actor", entry.planetScaleActor());
        node.put("organization", entry.organization());
        node.put("database", entry.database());
        node.put("deploy_request", entry.number());
        node.put("action", entry.action());
        node.put("policy_rule", entry.policyRule());
        node.put("confirmation", entry.confirmation());
        node.put("second_person", entry.secondPerson());
        node.put("outcome", entry.outcome());
        node.put("planetscale_answer", entry.planetScaleAnswer());
        return node.toString();
    }

    private static synchronized void append(Path path, String line) {
        try {
            Files.writeString(path, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            log.error("Could not append to CUTOVER_AUDIT_LOG {}: {}", path, e.toString());
        }
    }
}
