-- What GET /api/v1/tasks/{id} sends: the task, then its tags, in a read-only transaction.
\set u random(1, :users)
\set n random(1, :tasks)
BEGIN READ ONLY;
SELECT * FROM tasks WHERE user_id = 'bench-user-' || :u AND id = md5('bench-task-' || :u || '-' || :n)::uuid;
SELECT tt.task_id, g.* FROM task_tags tt JOIN tags g ON g.user_id = tt.user_id AND g.id = tt.tag_id
 WHERE tt.user_id = 'bench-user-' || :u AND tt.task_id IN (md5('bench-task-' || :u || '-' || :n)::uuid)
 ORDER BY lower(g.name);
COMMIT;
