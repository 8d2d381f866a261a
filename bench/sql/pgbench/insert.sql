-- What POST /api/v1/tasks with one existing tag sends: insert the task, find the tag, tag the new task.
-- Rows are titled 'pgbench insert' and deleted by run.sh after the pgbench phase.
\set u random(1, :users)
\set p random(1, 3)
BEGIN;
WITH key AS (SELECT 'a0' || substr(md5(random()::text), 1, 12) || 'V' AS k)  -- a top-level task's sort path is its position
INSERT INTO tasks (position, sort_path, list_id, user_id, title, description, priority, due_date, recurrence_rule, completed, completed_at,
                   next_occurrence_created)
SELECT k, k, md5('bench-inbox-' || :u)::uuid, 'bench-user-' || :u, 'pgbench insert', 'Created by pgbench', (ARRAY['low', 'medium', 'high'])[:p],
       to_timestamp(:base) + interval '3 days', NULL, false, NULL, false
FROM key
RETURNING id AS new_id \gset
SELECT * FROM tags WHERE user_id = 'bench-user-' || :u AND lower(name) = ANY (ARRAY['work']);
INSERT INTO task_tags (user_id, task_id, tag_id) VALUES ('bench-user-' || :u, :new_id, md5('bench-tag-' || :u || '-0')::uuid);
COMMIT;
