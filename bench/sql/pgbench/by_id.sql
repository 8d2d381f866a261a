-- What GET /api/v1/tasks/{id} sends: one statement, the task with its tags as a jOOQ MULTISET (jsonb), no transaction.
\set u random(1, :users)
\set n random(1, :tasks)
SELECT t.*, (SELECT coalesce(jsonb_agg(jsonb_build_array(g.id, g.name, g.color) ORDER BY lower(g.name)), jsonb_build_array())
             FROM task_tags tt JOIN tags g ON g.user_id = 'bench-user-' || :u AND g.id = tt.tag_id
             WHERE tt.user_id = 'bench-user-' || :u AND tt.task_id = t.id) AS tags,
       (SELECT count(*) FROM tasks s WHERE s.user_id = 'bench-user-' || :u AND s.parent_id = t.id) AS subtask_count,
       (SELECT count(*) FROM tasks s WHERE s.user_id = 'bench-user-' || :u AND s.parent_id = t.id AND NOT s.completed) AS open_subtask_count
FROM tasks t WHERE t.user_id = 'bench-user-' || :u AND t.id = md5('bench-task-' || :u || '-' || :n)::uuid;
