-- Exactly once at the Slack boundary. A row is written before a message is posted (the intent) and completed with
-- the message's ts once Slack answers. An intent without a ts means the outcome is unknown (the answer was lost,
-- or the process died between Slack accepting the post and this row being completed): the message is then looked
-- up in the channel by the key carried in its metadata, and adopted instead of being posted again.
CREATE TABLE slack_post (
    post_key    TEXT    NOT NULL PRIMARY KEY,
    channel_id  TEXT    NOT NULL,
    thread_ts   TEXT,
    intended_at INTEGER NOT NULL,
    ts          TEXT
);
CREATE INDEX slack_post_intended ON slack_post (intended_at);
