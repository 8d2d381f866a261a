-- What GET /api/v1/tasks?status=pending|completed&priority=low|medium|high sends: a filtered first page with tag
-- ids, then the tags by id.
\set u random(1, :users)
\set s random(0, 1)
\set p random(1, 3)
SELECT t.*, array(SELECT tt.tag_id FROM task_tags tt WHERE tt.user_id = 'bench-user-' || :u AND tt.task_id = t.id) AS tag_ids,
       (SELECT count(*) FROM tasks s WHERE s.user_id = 'bench-user-' || :u AND s.parent_id = t.id) AS subtask_count,
       (SELECT count(*) FROM tasks s WHERE s.user_id = 'bench-user-' || :u AND s.parent_id = t.id AND NOT s.completed) AS open_subtask_count
FROM tasks t WHERE t.user_id = 'bench-user-' || :u AND t.completed = (:s = 1)
   AND t.priority = (ARRAY['low', 'medium', 'high'])[:p]
 ORDER BY t.created_at DESC, t.id DESC LIMIT 51;
SELECT id, name, color FROM tags WHERE user_id = 'bench-user-' || :u
   AND id = ANY (ARRAY(SELECT md5('bench-tag-' || :u || '-' || k)::uuid FROM generate_series(0, 7) AS k));
