-- What GET /api/v1/tasks sends: the first page of 50 (+1 to know whether more follow), newest first, then their tags.
\set u random(1, :users)
BEGIN READ ONLY;
SELECT * FROM tasks WHERE user_id = 'bench-user-' || :u ORDER BY created_at DESC, id DESC LIMIT 51;
SELECT tt.task_id, g.* FROM task_tags tt JOIN tags g ON g.user_id = tt.user_id AND g.id = tt.tag_id
 WHERE tt.user_id = 'bench-user-' || :u
   AND tt.task_id IN (SELECT id FROM tasks WHERE user_id = 'bench-user-' || :u ORDER BY created_at DESC, id DESC LIMIT 50)
 ORDER BY lower(g.name);
COMMIT;
