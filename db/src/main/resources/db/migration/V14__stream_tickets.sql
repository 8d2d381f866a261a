-- One-time tickets that open one event stream (GET /api/v1/events?ticket=...), for a browser's EventSource, which
-- cannot send an Authorization header. A ticket is a global unique value, so it lives in a table of its own keyed by
-- it (its SHA-256: the ticket itself is never stored), as user_emails is: using one is a single-row, single-shard
-- DELETE ... RETURNING user_id; on Citus the table is distributed by ticket_hash (no foreign key to users: another
-- shard). Tickets live 60 seconds; expired ones are deleted by a scheduled job.
CREATE TABLE stream_tickets (
    ticket_hash text        NOT NULL,
    user_id     text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    CONSTRAINT stream_tickets_pkey PRIMARY KEY (ticket_hash)
);

CREATE INDEX stream_tickets_expires_at_idx ON stream_tickets (expires_at);
