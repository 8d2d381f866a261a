-- The trash: a deleted task (with its subtree) or list (with its tasks) is kept, as a snapshot of its rows, for the
-- sync window, so it can be restored with its ids. GET /api/v1/trash lists it newest first.
CREATE TABLE trash (
    user_id    text        NOT NULL,
    kind       text        NOT NULL,
    id         uuid        NOT NULL,
    title      text        NOT NULL,
    task_count integer     NOT NULL,
    content    text        NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT trash_pkey PRIMARY KEY (user_id, kind, id),
    CONSTRAINT trash_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT trash_kind CHECK (kind IN ('list', 'task'))
);
CREATE INDEX trash_user_deleted_idx ON trash (user_id, deleted_at, kind, id);
CREATE INDEX trash_deleted_idx ON trash (deleted_at);
