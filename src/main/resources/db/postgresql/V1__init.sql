-- Cutover's durable state on PostgreSQL: the schema SQLite reaches through db/migration V1-V5, in one step, plus
-- what several replicas need to share (claims on events, leases, the Slack pace). Same tables, columns and
-- meanings as on SQLite, so the repositories run the same SQL on both: instants are BIGINT milliseconds since the
-- epoch (UTC), booleans and enums short text or 0/1. A later change adds a V6 here and in db/migration alike.

-- The outbox. dedupe_key is UNIQUE, so a redelivery reaching another replica has no second effect.
CREATE TABLE event (
    id                    BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dedupe_key            TEXT    NOT NULL UNIQUE,
    event                 TEXT    NOT NULL,
    organization          TEXT    NOT NULL,
    database_name         TEXT    NOT NULL,
    deploy_request_number INTEGER,
    resource_updated_at   BIGINT,
    received_at           BIGINT  NOT NULL,
    body                  TEXT,
    status                TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts              INTEGER NOT NULL DEFAULT 0,
    next_attempt_at       BIGINT  NOT NULL,
    last_error            TEXT,
    finished_at           BIGINT,
    -- Which replica is delivering the event, and until when the others leave it alone (SKIP LOCKED + lease).
    claimed_by            TEXT,
    claimed_until         BIGINT
);
CREATE INDEX event_pending ON event (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX event_finished ON event (finished_at) WHERE status = 'done';
CREATE INDEX event_pending_request ON event (organization, database_name, deploy_request_number, id)
    WHERE status = 'pending';

CREATE TABLE subscription (
    channel_id    TEXT   NOT NULL,
    database_name TEXT   NOT NULL,
    filters       TEXT   NOT NULL,
    created_by    TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (channel_id, database_name)
);
CREATE INDEX subscription_database ON subscription (database_name);

CREATE TABLE card_thread (
    organization        TEXT    NOT NULL,
    database_name       TEXT    NOT NULL,
    number              INTEGER NOT NULL,
    channel_id          TEXT    NOT NULL,
    ts                  TEXT    NOT NULL,
    rendered_updated_at BIGINT,
    last_event          TEXT,
    PRIMARY KEY (organization, database_name, number, channel_id)
);

CREATE TABLE reminder (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization  TEXT    NOT NULL,
    database_name TEXT    NOT NULL,
    number        INTEGER NOT NULL,
    channel_id    TEXT    NOT NULL,
    thread_ts     TEXT    NOT NULL,
    fire_at       BIGINT  NOT NULL,
    mention       TEXT,
    sent_at       BIGINT
);
CREATE UNIQUE INDEX reminder_pending ON reminder (organization, database_name, number, channel_id)
    WHERE sent_at IS NULL;
CREATE INDEX reminder_due ON reminder (fire_at) WHERE sent_at IS NULL;

CREATE TABLE channel_problem (
    channel_id TEXT   NOT NULL PRIMARY KEY,
    error      TEXT   NOT NULL,
    at         BIGINT NOT NULL
);

CREATE TABLE card_action (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization  TEXT    NOT NULL,
    database_name TEXT    NOT NULL,
    number        INTEGER NOT NULL,
    action        TEXT    NOT NULL,
    slack_user    TEXT    NOT NULL,
    at            BIGINT  NOT NULL
);
CREATE INDEX card_action_request ON card_action (organization, database_name, number, id);

CREATE TABLE card_reply (
    -- SQLite orders replies by its implicit rowid; here it is a real column of the same name, so the
    -- repositories' SQL stays one text for both engines.
    rowid         BIGINT  GENERATED ALWAYS AS IDENTITY,
    channel_id    TEXT    NOT NULL,
    ts            TEXT    NOT NULL,
    organization  TEXT    NOT NULL,
    database_name TEXT    NOT NULL,
    number        INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    live          INTEGER NOT NULL,
    PRIMARY KEY (channel_id, ts)
);
CREATE INDEX card_reply_live ON card_reply (organization, database_name, number, channel_id) WHERE live = 1;

CREATE TABLE slack_post (
    post_key    TEXT   NOT NULL PRIMARY KEY,
    channel_id  TEXT   NOT NULL,
    thread_ts   TEXT,
    intended_at BIGINT NOT NULL,
    ts          TEXT
);
CREATE INDEX slack_post_intended ON slack_post (intended_at);

CREATE TABLE managed_webhook (
    database_name TEXT   NOT NULL PRIMARY KEY,
    webhook_id    TEXT   NOT NULL,
    secret        TEXT   NOT NULL,
    url           TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);

-- Fleet-wide jobs (reminders, reconciliation, webhook checks, retention) run on the replica holding the lease.
CREATE TABLE lease (
    name        TEXT   NOT NULL PRIMARY KEY,
    holder      TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL
);

-- Slack's per-channel pace, shared by every replica: the pacer's theoretical arrival time per channel (epoch
-- nanoseconds), and the slots booked for held-back posts.
CREATE TABLE channel_pace (
    channel_id   TEXT   NOT NULL PRIMARY KEY,
    arrival_nanos BIGINT NOT NULL
);
CREATE TABLE pace_booking (
    post_key    TEXT   NOT NULL PRIMARY KEY,
    channel_id  TEXT   NOT NULL,
    slot_nanos  BIGINT NOT NULL
);
CREATE INDEX pace_booking_channel ON pace_booking (channel_id);
