-- What GET /api/v1/tasks?status=pending|completed&priority=low|medium|high sends: a filtered first page, then tags.
\set u random(1, :users)
\set s random(0, 1)
\set p random(1, 3)
BEGIN READ ONLY;
SELECT * FROM tasks WHERE user_id = 'bench-user-' || :u AND completed = (:s = 1)
   AND priority = (ARRAY['low', 'medium', 'high'])[:p]
 ORDER BY created_at DESC, id DESC LIMIT 51;
SELECT tt.task_id, g.* FROM task_tags tt JOIN tags g ON g.user_id = tt.user_id AND g.id = tt.tag_id
 WHERE tt.user_id = 'bench-user-' || :u
   AND tt.task_id IN (SELECT id FROM tasks WHERE user_id = 'bench-user-' || :u AND completed = (:s = 1)
                         AND priority = (ARRAY['low', 'medium', 'high'])[:p]
                       ORDER BY created_at DESC, id DESC LIMIT 50)
 ORDER BY lower(g.name);
COMMIT;
