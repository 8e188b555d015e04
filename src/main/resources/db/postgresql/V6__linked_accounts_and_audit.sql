-- As db/migration/V6 on SQLite: linked PlanetScale accounts (tokens sealed with CUTOVER_ENCRYPTION_KEY), single-use
-- login states, and the append-only audit record. Instants are BIGINT milliseconds, as everywhere here.
CREATE TABLE linked_account (
    slack_team_id         TEXT   NOT NULL,
    slack_user_id         TEXT   NOT NULL,
    actor_id              TEXT   NOT NULL,
    actor_display_name    TEXT   NOT NULL,
    token_id_sealed       TEXT   NOT NULL,
    token_sealed          TEXT   NOT NULL,
    refresh_token_sealed  TEXT   NOT NULL,
    expires_at            BIGINT,
    linked_at             BIGINT NOT NULL,
    refresh_failed_at     BIGINT,
    PRIMARY KEY (slack_team_id, slack_user_id)
);

CREATE TABLE login_state (
    nonce          TEXT   NOT NULL PRIMARY KEY,
    slack_team_id  TEXT   NOT NULL,
    slack_user_id  TEXT   NOT NULL,
    expires_at     BIGINT NOT NULL
);

CREATE TABLE audit_record (
    id                  BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                  BIGINT  NOT NULL,
    slack_team_id       TEXT    NOT NULL,
    slack_user_id       TEXT    NOT NULL,
    identity            TEXT    NOT NULL,
    planetscale_actor   TEXT,
    organization        TEXT    NOT NULL,
    database_name       TEXT    NOT NULL,
    number              INTEGER NOT NULL,
    action              TEXT    NOT NULL,
    policy_rule         TEXT    NOT NULL,
    confirmation        TEXT,
    second_person       TEXT,
    outcome             TEXT    NOT NULL,
    planetscale_answer  TEXT
);
CREATE INDEX audit_record_by_request ON audit_record (database_name, number, id);
CREATE INDEX audit_record_by_time ON audit_record (at);
