-- Cutover's durable state. Instants are stored as INTEGER milliseconds since the epoch (UTC) so they sort
-- and compare as numbers; booleans and enums as short TEXT so a person can read the file with sqlite3.

-- The outbox: every webhook PlanetScale delivered, recorded before we answer 2xx.
-- AUTOINCREMENT so ids never go backwards after a purge: id order is arrival order.
CREATE TABLE event (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key            TEXT    NOT NULL UNIQUE,
    event                 TEXT    NOT NULL,
    organization          TEXT    NOT NULL,
    database_name         TEXT    NOT NULL,
    deploy_request_number INTEGER,
    resource_updated_at   INTEGER,
    received_at           INTEGER NOT NULL,
    -- Cleared when the event is done: only pending and failed events need it, and it is most of the row.
    body                  TEXT,
    status                TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts              INTEGER NOT NULL DEFAULT 0,
    next_attempt_at       INTEGER NOT NULL,
    last_error            TEXT,
    finished_at           INTEGER
);

-- The worker's poll and the backlog gauges read only pending rows, which stay few.
CREATE INDEX event_pending ON event (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX event_finished ON event (finished_at) WHERE status = 'done';

-- Which channels follow which database, and for which events.
CREATE TABLE subscription (
    channel_id    TEXT    NOT NULL,
    database_name TEXT    NOT NULL,
    -- Filter names joined by ',' in sorted order (names never contain a comma).
    filters       TEXT    NOT NULL,
    created_by    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (channel_id, database_name)
);
CREATE INDEX subscription_database ON subscription (database_name);

-- The one living card (and its thread) per deploy request per channel.
CREATE TABLE card_thread (
    organization          TEXT    NOT NULL,
    database_name         TEXT    NOT NULL,
    number                INTEGER NOT NULL,
    channel_id            TEXT    NOT NULL,
    ts                    TEXT    NOT NULL,
    rendered_updated_at   INTEGER,
    last_event            TEXT,
    PRIMARY KEY (organization, database_name, number, channel_id)
);

-- Revert-window reminders; at most one unsent per deploy request and channel.
CREATE TABLE reminder (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    organization  TEXT    NOT NULL,
    database_name TEXT    NOT NULL,
    number        INTEGER NOT NULL,
    channel_id    TEXT    NOT NULL,
    thread_ts     TEXT    NOT NULL,
    fire_at       INTEGER NOT NULL,
    mention       TEXT,
    sent_at       INTEGER
);
CREATE UNIQUE INDEX reminder_pending ON reminder (organization, database_name, number, channel_id)
    WHERE sent_at IS NULL;
CREATE INDEX reminder_due ON reminder (fire_at) WHERE sent_at IS NULL;

-- The last posting failure per channel (e.g. not_in_channel), shown by /pscale subscriptions.
CREATE TABLE channel_problem (
    channel_id TEXT    NOT NULL PRIMARY KEY,
    error      TEXT    NOT NULL,
    at         INTEGER NOT NULL
);
