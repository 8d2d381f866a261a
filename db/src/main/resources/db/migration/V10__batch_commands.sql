-- Offline batches (POST /api/v1/batch): each applied command's id, the hash of the command as sent and its result,
-- written in the command's own transaction, so a batch sent again changes nothing twice and gets the same results.
-- Kept for the sync window (30 days), pruned with the tombstones.
CREATE TABLE batch_commands (
    user_id      text        NOT NULL,
    command_id   text        NOT NULL,
    request_hash bytea       NOT NULL,
    result       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT batch_commands_pkey PRIMARY KEY (user_id, command_id),
    CONSTRAINT batch_commands_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT batch_commands_id_length CHECK (char_length(command_id) BETWEEN 1 AND 100)
);
CREATE INDEX batch_commands_created_idx ON batch_commands (created_at);
