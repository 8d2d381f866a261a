-- What GET /api/v1/tasks?limit=1000 sends: 1000 tasks (+1), newest first, then their tags.
\set u random(1, :users)
BEGIN READ ONLY;
SELECT * FROM tasks WHERE user_id = 'bench-user-' || :u ORDER BY created_at DESC, id DESC LIMIT 1001;
SELECT tt.task_id, g.* FROM task_tags tt JOIN tags g ON g.user_id = tt.user_id AND g.id = tt.tag_id
 WHERE tt.user_id = 'bench-user-' || :u
   AND tt.task_id IN (SELECT id FROM tasks WHERE user_id = 'bench-user-' || :u ORDER BY created_at DESC, id DESC LIMIT 1000)
 ORDER BY lower(g.name);
COMMIT;
