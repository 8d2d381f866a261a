-- Subtasks: a task may have a parent task of the same user (and, kept by the server, in the same list). Deleting a
-- task deletes its subtree. Depth (at most 4 levels) and the absence of cycles are kept by the server, which locks
-- the rows it links.
ALTER TABLE tasks ADD COLUMN parent_id uuid;
ALTER TABLE tasks ADD CONSTRAINT tasks_parent_fkey
    FOREIGN KEY (user_id, parent_id) REFERENCES tasks (user_id, id) ON DELETE CASCADE;
ALTER TABLE tasks ADD CONSTRAINT tasks_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id);

-- A task's subtasks (their counts on every read, the subtree on completion and deletion).
CREATE INDEX tasks_user_parent_idx ON tasks (user_id, parent_id);
