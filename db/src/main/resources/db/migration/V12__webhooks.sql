-- Webhooks (docs/webhooks.md): a user's endpoints, the events made for each from the change feed, and the log of
-- delivery attempts. Tenant tables, keyed by user_id first like every other one (distributed by it on Citus).
CREATE TABLE webhook_endpoints (
    user_id                    text        NOT NULL,
    id                         uuid        NOT NULL DEFAULT gen_random_uuid(),
    url                        text        NOT NULL,
    description                text,
    -- Space-separated event types; NULL: every type.
    event_types                text,
    enabled                    boolean     NOT NULL DEFAULT true,
    disabled_reason            text,
    disabled_at                timestamptz,
    -- whsec_<base64>: needed to sign, so kept (not hashed).
    secret                     text        NOT NULL,
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    -- Where in the user's change feed this endpoint's events have been made up to: after (seq, kind, id), or after
    -- every change numbered seq or less when kind is NULL (the Sync token's position).
    cursor_seq                 bigint      NOT NULL,
    cursor_kind                text,
    cursor_id                  uuid,
    -- The position the next event of this endpoint gets (its delivery order).
    next_position              bigint      NOT NULL DEFAULT 1,
    -- Since when every attempt has failed (NULL after a success).
    failing_since              timestamptz,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT webhook_endpoints_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- One event for one endpoint (its webhook-id is msg_<id without dashes>), with the exact body that is signed.
CREATE TABLE webhook_messages (
    user_id         text        NOT NULL,
    endpoint_id     uuid        NOT NULL,
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    position        bigint      NOT NULL,
    event_type      text        NOT NULL,
    payload         text        NOT NULL,
    -- pending (to send, in position order), delivered, failed (given up after the retry window), test (sent by
    -- POST .../test, not retried), notice (recorded, not sent: this endpoint's own endpoint.disabled).
    state           text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    -- Retries stop once the first attempt is older than the retry window (24 hours by default).
    first_attempt_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_messages_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT webhook_messages_endpoint_fkey FOREIGN KEY (user_id, endpoint_id)
        REFERENCES webhook_endpoints (user_id, id) ON DELETE CASCADE,
    CONSTRAINT webhook_messages_state CHECK (state IN ('pending', 'delivered', 'failed', 'test', 'notice'))
);
CREATE INDEX webhook_messages_queue_idx ON webhook_messages (user_id, endpoint_id, state, position);
CREATE INDEX webhook_messages_created_idx ON webhook_messages (created_at);

-- The delivery log: one row per attempt.
CREATE TABLE webhook_deliveries (
    user_id         text        NOT NULL,
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    endpoint_id     uuid        NOT NULL,
    message_id      uuid        NOT NULL,
    attempt         integer     NOT NULL,
    trigger         text        NOT NULL,
    status          text        NOT NULL,
    response_status integer,
    latency_ms      integer     NOT NULL,
    error           text,
    response_body   text,
    next_attempt_at timestamptz,
    attempted_at    timestamptz NOT NULL,
    CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT webhook_deliveries_message_fkey FOREIGN KEY (user_id, message_id)
        REFERENCES webhook_messages (user_id, id) ON DELETE CASCADE,
    CONSTRAINT webhook_deliveries_trigger CHECK (trigger IN ('scheduled', 'redelivery', 'test', 'notice')),
    CONSTRAINT webhook_deliveries_status CHECK (status IN ('succeeded', 'failed', 'skipped'))
);
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (user_id, endpoint_id, attempted_at, id);
CREATE INDEX webhook_deliveries_message_idx ON webhook_deliveries (user_id, message_id);
-- The pruning job's scan (attempts past the sync window, all users).
CREATE INDEX webhook_deliveries_attempted_idx ON webhook_deliveries (attempted_at);

-- db-scheduler's table (its documented PostgreSQL DDL, 16.x): not tenant data, one row per endpoint with work to do
-- (task "webhook-endpoint", instance <endpoint id>:<user id>). A reference table on Citus (ops/citus/distribute.sql).
-- jOOQ sees the table (the catalog test compares it); its indexes are left out of the simulation.
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    CONSTRAINT scheduled_tasks_pkey PRIMARY KEY (task_name, task_instance)
);
-- [jooq ignore start]
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
-- [jooq ignore stop]
