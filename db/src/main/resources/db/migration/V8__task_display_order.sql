-- Display order: a task's sort path is the positions of its ancestors and its own, joined by '/' (a byte below
-- every character an order key uses), so sorting a list's tasks by it byte-wise (COLLATE "C") gives depth-first,
-- manual order: a task, then its subtree, then its next sibling. One index walk serves each page of
-- GET /api/v1/lists/{id}/tasks; the server writes the path with the position (and rewrites a moved subtree's).
ALTER TABLE tasks ADD COLUMN sort_path text;

-- [jooq ignore start]
ALTER TABLE tasks ALTER COLUMN sort_path TYPE text COLLATE "C";

WITH RECURSIVE paths (user_id, id, path) AS (
    SELECT user_id, id, position::text COLLATE "C" FROM tasks WHERE parent_id IS NULL
    UNION ALL
    SELECT child.user_id, child.id, (paths.path || '/' || child.position) COLLATE "C"
    FROM tasks child JOIN paths ON child.user_id = paths.user_id AND child.parent_id = paths.id
)
UPDATE tasks SET sort_path = paths.path
FROM paths
WHERE paths.user_id = tasks.user_id AND paths.id = tasks.id;
-- [jooq ignore stop]

ALTER TABLE tasks ALTER COLUMN sort_path SET NOT NULL;
-- Four levels of keys of at most 200 characters, and three separators.
ALTER TABLE tasks ADD CONSTRAINT tasks_sort_path_length CHECK (char_length(sort_path) BETWEEN 1 AND 803);
ALTER TABLE tasks ADD CONSTRAINT tasks_sort_path_key UNIQUE (user_id, list_id, sort_path);

-- The pending view walks only open tasks.
-- [jooq ignore start]
CREATE INDEX tasks_open_sort_path_idx ON tasks (user_id, list_id, sort_path) WHERE NOT completed;
-- [jooq ignore stop]

-- A subtask is in its parent's list: the parent reference includes the list, so a task can't sit in another list
-- than its parent (a subtree moves to another list in one statement).
ALTER TABLE tasks ADD CONSTRAINT tasks_list_task_key UNIQUE (user_id, list_id, id);
ALTER TABLE tasks DROP CONSTRAINT tasks_parent_fkey;
ALTER TABLE tasks ADD CONSTRAINT tasks_parent_fkey
    FOREIGN KEY (user_id, list_id, parent_id) REFERENCES tasks (user_id, list_id, id) ON DELETE CASCADE;
