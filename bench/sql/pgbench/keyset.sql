-- What GET /api/v1/tasks?cursor=... sends: the page of 50 after a position (created_at, id) with tag ids, then
-- the tags by id.
\set u random(1, :users)
\set n random(1, :tasks - 50)
SELECT t.*, array(SELECT tt.tag_id FROM task_tags tt WHERE tt.user_id = 'bench-user-' || :u AND tt.task_id = t.id) AS tag_ids,
       (SELECT count(*) FROM tasks s WHERE s.user_id = 'bench-user-' || :u AND s.parent_id = t.id) AS subtask_count,
       (SELECT count(*) FROM tasks s WHERE s.user_id = 'bench-user-' || :u AND s.parent_id = t.id AND NOT s.completed) AS open_subtask_count
FROM tasks t WHERE t.user_id = 'bench-user-' || :u
   AND (t.created_at, t.id) < (to_timestamp(:base) - :n * interval '47 minutes' - :u * interval '1 second'
                               - ((:n * 7919) % 1000000) * interval '1 microsecond',
                               md5('bench-task-' || :u || '-' || :n)::uuid)
 ORDER BY t.created_at DESC, t.id DESC LIMIT 51;
SELECT id, name, color FROM tags WHERE user_id = 'bench-user-' || :u
   AND id = ANY (ARRAY(SELECT md5('bench-tag-' || :u || '-' || k)::uuid FROM generate_series(0, 7) AS k));
