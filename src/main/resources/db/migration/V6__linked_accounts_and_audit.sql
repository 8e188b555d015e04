-- Slack users linked to their PlanetScale account (/pscale login). The token columns hold AES-GCM ciphertext made
-- with CUTOVER_ENCRYPTION_KEY (identity/TokenCipher); the database alone never reveals a token.
CREATE TABLE linked_account (
    slack_team_id         TEXT    NOT NULL,
    slack_user_id         TEXT    NOT NULL,
    actor_id              TEXT    NOT NULL,
    actor_display_name    TEXT    NOT NULL,
    token_id_sealed       TEXT    NOT NULL,
    token_sealed          TEXT    NOT NULL,
    refresh_token_sealed  TEXT    NOT NULL,
    expires_at            INTEGER,
    linked_at             INTEGER NOT NULL,
    refresh_failed_at     INTEGER,
    PRIMARY KEY (slack_team_id, slack_user_id)
);

-- Login links handed out and not yet used: a state is accepted once, before it expires.
CREATE TABLE login_state (
    nonce          TEXT    NOT NULL PRIMARY KEY,
    slack_team_id  TEXT    NOT NULL,
    slack_user_id  TEXT    NOT NULL,
    expires_at     INTEGER NOT NULL
);

-- Every attempted write through Cutover, append-only (only retention deletes, oldest first).
CREATE TABLE audit_record (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    at                  INTEGER NOT NULL,
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
