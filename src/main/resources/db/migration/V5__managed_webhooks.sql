-- Webhooks Cutover created itself with `/pscale webhooks setup <database>`, one per database. The secret is the
-- HMAC key PlanetScale returned; intake accepts signatures made with any of them (and PLANETSCALE_WEBHOOK_SECRET).
CREATE TABLE managed_webhook (
    database_name TEXT    NOT NULL PRIMARY KEY,
    webhook_id    TEXT    NOT NULL,
    secret        TEXT    NOT NULL,
    url           TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
