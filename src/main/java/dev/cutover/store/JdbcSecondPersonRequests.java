package dev.cutover.store;

import dev.cutover.deploy.DeployAction;
import dev.cutover.deploy.DeployRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@link SecondPersonRequests} in the {@code second_person_request} table (portable SQL: no upserts, no ROWIDs). */
final class JdbcSecondPersonRequests implements SecondPersonRequests {
    private final SqlWriter writer;
    private final SqlReader reader;

    JdbcSecondPersonRequests(SqlWriter writer, SqlReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public void save(SecondPersonRequest request) {
        writer.write("save second-person request", session -> {
            PreparedStatement insert = session.prepare("INSERT INTO second_person_request (id, org, database_name,"
                    + " number, action, requested_by, requested_at, expires_at, status, confirmed_by, decided_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            insert.setString(1, request.id());
            insert.setString(2, request.ref().org());
            insert.setString(3, request.ref().database());
            insert.setInt(4, request.ref().number());
            insert.setString(5, request.action().actionId());
            insert.setString(6, request.requestedBy());
            Columns.setInstant(insert, 7, request.requestedAt());
            Columns.setInstant(insert, 8, request.expiresAt());
            insert.setString(9, request.status().name());
            insert.setString(10, request.confirmedBy());
            Columns.setInstant(insert, 11, request.decidedAt());
            return insert.executeUpdate();
        });
    }

    @Override
    public Optional<SecondPersonRequest> find(String id) {
        return reader.read("find second-person request", session -> {
            PreparedStatement select = session.prepare("SELECT id, org, database_name, number, action, requested_by,"
                    + " requested_at, expires_at, status, confirmed_by, decided_at FROM second_person_request"
                    + " WHERE id = ?");
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Optional<DeployAction> action = DeployAction.fromActionId(row.getString("action"));
                if (action.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new SecondPersonRequest(row.getString("id"), new DeployRef(row.getString("org"),
                        row.getString("database_name"), row.getInt("number")), action.get(),
                        row.getString("requested_by"), Columns.instant(row, "requested_at"),
                        Columns.instant(row, "expires_at"), SecondPersonRequest.Status.valueOf(row.getString("status")),
                        row.getString("confirmed_by"), Columns.instant(row, "decided_at")));
            }
        });
    }

    @Override
    public boolean confirm(String id, String confirmedBy, Instant at) {
        return decide(id, SecondPersonRequest.Status.CONFIRMED, confirmedBy, at);
    }

    @Override
    public boolean expire(String id, Instant at) {
        return decide(id, SecondPersonRequest.Status.EXPIRED, null, at);
    }

    private boolean decide(String id, SecondPersonRequest.Status status, String confirmedBy, Instant at) {
        int changed = writer.write("decide second-person request", session -> {
            // Only a pending request changes: the first decision wins, whoever reaches the store second loses.
            PreparedStatement update = session.prepare("UPDATE second_person_request SET status = ?, confirmed_by = ?,"
                    + " decided_at = ? WHERE id = ? AND status = 'PENDING'");
            update.setString(1, status.name());
            update.setString(2, confirmedBy);
            Columns.setInstant(update, 3, at);
            update.setString(4, id);
            return update.executeUpdate();
        });
        return changed == 1;
    }
}
