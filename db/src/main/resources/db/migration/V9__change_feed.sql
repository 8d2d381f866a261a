-- The change feed (GET /api/v1/sync). Every write transaction of a user first takes the user's change counter
-- (an UPDATE of its row, held to the commit) and stamps what it writes with the new number: a user's writes are
-- numbered in commit order, so a reader that has seen every number up to N has seen every change up to N (no
-- number can commit later than a higher one). Lists, tasks and tags carry the number of their last change;
-- deleted ones leave a tombstone with the number of their deletion, kept for the sync window.
CREATE TABLE change_counters (
    user_id text   NOT NULL,
    seq     bigint NOT NULL,
    CONSTRAINT change_counters_pkey PRIMARY KEY (user_id),
    CONSTRAINT change_counters_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT change_counters_seq_positive CHECK (seq > 0)
);

-- Rows written before the feed existed are change 0: every full sync returns them.
ALTER TABLE lists ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE tags ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
CREATE INDEX lists_user_change_idx ON lists (user_id, change_seq, id);
CREATE INDEX tasks_user_change_idx ON tasks (user_id, change_seq, id);
CREATE INDEX tags_user_change_idx ON tags (user_id, change_seq, id);

CREATE TABLE tombstones (
    user_id    text        NOT NULL,
    kind       text        NOT NULL,
    id         uuid        NOT NULL,
    change_seq bigint      NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tombstones_pkey PRIMARY KEY (user_id, kind, id),
    CONSTRAINT tombstones_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT tombstones_kind CHECK (kind IN ('list', 'task', 'tag'))
);
CREATE INDEX tombstones_user_change_idx ON tombstones (user_id, change_seq, kind, id);
-- The pruning job's scan (rows past the window, all users).
CREATE INDEX tombstones_deleted_idx ON tombstones (deleted_at);
