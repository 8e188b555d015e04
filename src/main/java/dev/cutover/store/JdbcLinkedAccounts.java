package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@link LinkedAccounts} in the {@code linked_account} and {@code login_state} tables. */
final class JdbcLinkedAccounts implements LinkedAccounts {
    private static final String COLUMNS = "slack_team_id, slack_user_id, actor_id, actor_display_name, token_id_sealed,"
            + " token_sealed, refresh_token_sealed, expires_at, linked_at, refresh_failed_at";

    private final SqlWriter writer;
    private final SqlReader reader;

    JdbcLinkedAccounts(SqlWriter writer, SqlReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public void save(LinkedAccountRow row) {
        writer.write("save linked account", session -> {
            PreparedStatement delete = session.prepare(
                    "DELETE FROM linked_account WHERE slack_team_id = ? AND slack_user_id = ?");
            delete.setString(1, row.teamId());
            delete.setString(2, row.slackUserId());
            delete.executeUpdate();
            PreparedStatement insert = session.prepare("INSERT INTO linked_account (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            insert.setString(1, row.teamId());
            insert.setString(2, row.slackUserId());
            insert.setString(3, row.actorId());
            insert.setString(4, row.actorDisplayName());
            insert.setString(5, row.tokenIdSealed());
            insert.setString(6, row.tokenSealed());
            insert.setString(7, row.refreshTokenSealed());
            Columns.setInstant(insert, 8, row.expiresAt());
            Columns.setInstant(insert, 9, row.linkedAt());
            Columns.setInstant(insert, 10, row.refreshFailedAt());
            return insert.executeUpdate();
        });
    }

    @Override
    public Optional<LinkedAccountRow> find(String teamId, String slackUserId) {
        return reader.read("find linked account", session -> {
            PreparedStatement select = session.prepare("SELECT " + COLUMNS
                    + " FROM linked_account WHERE slack_team_id = ? AND slack_user_id = ?");
            select.setString(1, teamId);
            select.setString(2, slackUserId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LinkedAccountRow(row.getString("slack_team_id"), row.getString("slack_user_id"),
                        row.getString("actor_id"), row.getString("actor_display_name"),
                        row.getString("token_id_sealed"), row.getString("token_sealed"),
                        row.getString("refresh_token_sealed"), Columns.instant(row, "expires_at"),
                        Columns.instant(row, "linked_at"), Columns.instant(row, "refresh_failed_at")));
            }
        });
    }

    @Override
    public boolean delete(String teamId, String slackUserId) {
        return writer.write("delete linked account", session -> {
            PreparedStatement delete = session.prepare(
                    "DELETE FROM linked_account WHERE slack_team_id = ? AND slack_user_id = ?");
            delete.setString(1, teamId);
            delete.setString(2, slackUserId);
            return delete.executeUpdate();
        }) > 0;
    }

    @Override
    public void rememberLoginState(String nonce, String teamId, String slackUserId, Instant expiresAt) {
        writer.write("remember login state", session -> {
            PreparedStatement insert = session.prepare("INSERT INTO login_state (nonce, slack_team_id, slack_user_id,"
                    + " expires_at) VALUES (?, ?, ?, ?)");
            insert.setString(1, nonce);
            insert.setString(2, teamId);
            insert.setString(3, slackUserId);
            Columns.setInstant(insert, 4, expiresAt);
            return insert.executeUpdate();
        });
    }

    @Override
    public boolean takeLoginState(String nonce, String teamId, String slackUserId, Instant now) {
        return writer.write("take login state", session -> {
            // Expired states of anyone go too: the table only ever holds live links.
            PreparedStatement expired = session.prepare("DELETE FROM login_state WHERE expires_at <= ? AND nonce <> ?");
            Columns.setInstant(expired, 1, now);
            expired.setString(2, nonce);
            expired.executeUpdate();
            PreparedStatement take = session.prepare("DELETE FROM login_state WHERE nonce = ? AND slack_team_id = ?"
                    + " AND slack_user_id = ? AND expires_at > ?");
            take.setString(1, nonce);
            take.setString(2, teamId);
            take.setString(3, slackUserId);
            Columns.setInstant(take, 4, now);
            int taken = take.executeUpdate();
            PreparedStatement rest = session.prepare("DELETE FROM login_state WHERE nonce = ?");
            rest.setString(1, nonce);
            rest.executeUpdate();
            return taken;
        }) == 1;
    }
}
