-- Who did what through Cutover, per deploy request. It is the card's history (shown on every card of the
-- deploy request, whoever re-renders it) and it credits the Slack person in thread replies ("queued by @alice
-- via Cutover"), across restarts. A row is written before PlanetScale is called (its webhook may arrive first)
-- and deleted again when PlanetScale refuses the action.
CREATE TABLE card_action (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    organization  TEXT    NOT NULL,
    database_name TEXT    NOT NULL,
    number        INTEGER NOT NULL,
    action        TEXT    NOT NULL,
    slack_user    TEXT    NOT NULL,
    at            INTEGER NOT NULL
);
CREATE INDEX card_action_request ON card_action (organization, database_name, number, id);

-- The replies of each card's thread. While a reply is live it carries buttons; when the card moves on (or the
-- reply's own button is used) the card writer rewrites it without them, so nothing stale stays clickable. The
-- row stays: a click on an old reply is still known to belong to the thread.
CREATE TABLE card_reply (
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
