-- What GET /api/v1/tasks sends (no transaction): the first page of 50 (+1 to know whether more follow), newest
-- first, each task with the ids of its tags; then the page's tags by id (here: all 8 of the user's, as a page has).
\set u random(1, :users)
SELECT t.*, array(SELECT tt.tag_id FROM task_tags tt WHERE tt.user_id = 'bench-user-' || :u AND tt.task_id = t.id) AS tag_ids,
       (SELECT count(*) FROM tasks s WHERE s.user_id = 'bench-user-' || :u AND s.parent_id = t.id) AS subtask_count,
       (SELECT count(*) FROM tasks s WHERE s.user_id = 'bench-user-' || :u AND s.parent_id = t.id AND NOT s.completed) AS open_subtask_count
FROM tasks t WHERE t.user_id = 'bench-user-' || :u ORDER BY t.created_at DESC, t.id DESC LIMIT 51;
SELECT id, name, color FROM tags WHERE user_id = 'bench-user-' || :u
   AND id = ANY (ARRAY(SELECT md5('bench-tag-' || :u || '-' || k)::uuid FROM generate_series(0, 7) AS k));
