-- What GET /api/v1/tasks?cursor=... sends: the page of 50 after a position (created_at, id), then their tags.
\set u random(1, :users)
\set n random(1, :tasks - 50)
BEGIN READ ONLY;
SELECT * FROM tasks WHERE user_id = 'bench-user-' || :u
   AND (created_at, id) < (to_timestamp(:base) - :n * interval '47 minutes' - :u * interval '1 second'
                           - ((:n * 7919) % 1000000) * interval '1 microsecond',
                           md5('bench-task-' || :u || '-' || :n)::uuid)
 ORDER BY created_at DESC, id DESC LIMIT 51;
SELECT tt.task_id, g.* FROM task_tags tt JOIN tags g ON g.user_id = tt.user_id AND g.id = tt.tag_id
 WHERE tt.user_id = 'bench-user-' || :u
   AND tt.task_id IN (SELECT id FROM tasks WHERE user_id = 'bench-user-' || :u
                         AND (created_at, id) < (to_timestamp(:base) - :n * interval '47 minutes' - :u * interval '1 second'
                                                 - ((:n * 7919) % 1000000) * interval '1 microsecond',
                                                 md5('bench-task-' || :u || '-' || :n)::uuid)
                       ORDER BY created_at DESC, id DESC LIMIT 50)
 ORDER BY lower(g.name);
COMMIT;
