-- The worker applies events of one deploy request strictly in arrival order: an event is due only when no
-- earlier event of the same deploy request is still pending (e.g. waiting out a Slack rate limit).
CREATE INDEX event_pending_request ON event (organization, database_name, deploy_request_number, id)
    WHERE status = 'pending';
