package dev.cutover.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --migrate-store}: copies a SQLite installation's whole state into a PostgreSQL store, table by table with
 * every column, so a running installation moves over without losing anything: subscriptions, card threads and
 * their replies (clicks on existing cards keep working), the action log (history and credits), unsent reminders,
 * channel problems, managed webhooks (their secrets verify intake), the Slack post ledger (exactly once for events
 * still pending), the events themselves, pending ones included, linked PlanetScale accounts (still sealed with the
 * same CUTOVER_ENCRYPTION_KEY), the audit record and open second-person requests. Ids are kept and PostgreSQL's identity counters
 * moved past them. Rows already in the target are left as they are, so running it twice changes nothing.
 */
public final class StoreCopy {
    /** Every table, parents first; {@code card_reply} also carries SQLite's implicit rowid (its order). */
    static final List<String> TABLES = List.of("subscription", "card_thread", "card_reply", "card_action",
            "reminder", "channel_problem", "managed_webhook", "slack_post", "event", "linked_account", "audit_record",
            "second_person_request");
    private static final List<String> IDENTITIES = List.of("event.id", "reminder.id", "card_action.id",
            "card_reply.rowid", "audit_record.id");

    private StoreCopy() {}

    /** @return rows copied per table (rows already in the target count as not copied) */
    public static Map<String, Integer> copy(SqliteStore from, PostgresStore to) {
        Map<String, Integer> copied = new LinkedHashMap<>();
        for (String table : TABLES) {
            List<Map<String, Object>> rows = from.reader().read("read " + table, session -> {
                String select = table.equals("card_reply") ? "SELECT rowid AS rowid, * FROM card_reply"
                        : "SELECT * FROM " + table;
                List<Map<String, Object>> all = new ArrayList<>();
                try (ResultSet row = session.prepare(select).executeQuery()) {
                    ResultSetMetaData columns = row.getMetaData();
                    while (row.next()) {
                        Map<String, Object> values = new LinkedHashMap<>();
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            values.put(columns.getColumnLabel(i), row.getObject(i));
                        }
                        all.add(values);
                    }
                }
                return all;
            });
            copied.put(table, to.sql().write("copy " + table, session -> {
                int inserted = 0;
                for (Map<String, Object> row : rows) {
                    List<String> names = new ArrayList<>(row.keySet());
                    String sql = "INSERT INTO " + table + " (" + String.join(", ", names) + ") OVERRIDING SYSTEM VALUE"
                            + " VALUES (" + String.join(", ", names.stream().map(name -> "?").toList()) + ")"
                            + " ON CONFLICT DO NOTHING";
                    PreparedStatement insert = session.prepare(sql);
                    for (int i = 0; i < names.size(); i++) {
                        insert.setObject(i + 1, row.get(names.get(i)));
                    }
                    inserted += insert.executeUpdate();
                }
                return inserted;
            }));
        }
        to.sql().write("move identity counters", session -> {
            for (String identity : IDENTITIES) {
                String[] parts = identity.split("\\.");
                // The counter now starts after the copied ids.
                session.prepare("SELECT setval(pg_get_serial_sequence('" + parts[0] + "', '" + parts[1] + "'),"
                        + " (SELECT coalesce(max(" + parts[1] + "), 0) + 1 FROM " + parts[0] + "), false)").execute();
            }
            return null;
        });
        return copied;
    }
}
