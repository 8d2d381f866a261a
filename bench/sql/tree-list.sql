-- A list with subtasks for each of the first :tree_users bench users (included by seed.sql and
-- explain-display.sql with \ir; run inside their transaction).
-- psql variables: tree_key (names the ids), tree_name, tree_list_position (an order key, unique per user among
-- the lists), tree_users, tree_top (top-level tasks), tree_done_tenths (how many tenths of the top-level tasks are
-- completed, with their whole subtree), tasks and base (as in seed.sql: these tasks are older than every Inbox task).
--
-- The shape, per list: top-level tasks p = 1..tree_top; every fifth (p % 5 = 0) has 3 subtasks i, each of those
-- 2 subtasks j, and the first of those (j = 1) 2 subtasks k: 15 subtasks, 4 levels. So a list has
-- tree_top + 15 * (tree_top / 5) tasks (300 top-level: 1,200 tasks). Of an open top-level task's subtree, the
-- second j and the second k are completed. Deterministic, so pgbench scripts can address rows without reading
-- them first:
--   list id      md5('bench-' || tree_key || '-' || u)::uuid
--   task id      md5('bench-' || tree_key || '-' || u || '-' || label)::uuid, label 'p', 'p.i', 'p.i.j', 'p.i.j.k'
--   position     'a0' || lpad(x, 7, '0') || 'V' for the task's own number x (p, i, j or k): a valid order key
--                (OrderKeys), distinct among siblings
--   sort_path    the parent's sort_path || '/' || position (a top-level task's is its position)
INSERT INTO lists (user_id, id, name, position, is_default, created_at, updated_at)
SELECT 'bench-user-' || u, md5('bench-' || :'tree_key' || '-' || u)::uuid, :'tree_name', :'tree_list_position', false,
       to_timestamp(:base) - interval '400 days', to_timestamp(:base) - interval '400 days'
FROM generate_series(1, :tree_users) AS u;

CREATE TEMP TABLE tree_nodes AS
WITH top AS (
    SELECT u, p FROM generate_series(1, :tree_users) AS u, generate_series(1, :tree_top) AS p
), nodes AS (
    SELECT u, p, 0 AS i, 0 AS j, 0 AS k FROM top
    UNION ALL
    SELECT u, p, i, 0, 0 FROM top, generate_series(1, 3) AS i WHERE p % 5 = 0
    UNION ALL
    SELECT u, p, i, j, 0 FROM top, generate_series(1, 3) AS i, generate_series(1, 2) AS j WHERE p % 5 = 0
    UNION ALL
    SELECT u, p, i, 1, k FROM top, generate_series(1, 3) AS i, generate_series(1, 2) AS k WHERE p % 5 = 0
)
SELECT u, p, i, j, k,
       p::text || CASE WHEN i > 0 THEN '.' || i ELSE '' END || CASE WHEN j > 0 THEN '.' || j ELSE '' END
           || CASE WHEN k > 0 THEN '.' || k ELSE '' END AS label,
       CASE WHEN i = 0 THEN NULL
            ELSE p::text || CASE WHEN j > 0 THEN '.' || i ELSE '' END || CASE WHEN k > 0 THEN '.' || j ELSE '' END
       END AS parent_label,
       'a0' || lpad((CASE WHEN k > 0 THEN k WHEN j > 0 THEN j WHEN i > 0 THEN i ELSE p END)::text, 7, '0') || 'V' AS position,
       ('a0' || lpad(p::text, 7, '0') || 'V'
           || CASE WHEN i > 0 THEN '/a0' || lpad(i::text, 7, '0') || 'V' ELSE '' END
           || CASE WHEN j > 0 THEN '/a0' || lpad(j::text, 7, '0') || 'V' ELSE '' END
           || CASE WHEN k > 0 THEN '/a0' || lpad(k::text, 7, '0') || 'V' ELSE '' END) AS sort_path,
       p % 10 < :tree_done_tenths OR j = 2 OR k = 2 AS completed,
       -- older than every Inbox task (n <= tasks), in display order within the list
       to_timestamp(:base) - (:tasks + 1) * interval '47 minutes' - u * interval '1 second'
           - (p * 16 + i * 5 + j * 2 + k) * interval '1 minute' AS c
FROM nodes;

INSERT INTO tasks (user_id, id, list_id, parent_id, position, sort_path, title, description, completed, completed_at, priority,
                   due_date, version, created_at, updated_at)
SELECT 'bench-user-' || u,
       md5('bench-' || :'tree_key' || '-' || u || '-' || label)::uuid,
       md5('bench-' || :'tree_key' || '-' || u)::uuid,
       CASE WHEN parent_label IS NOT NULL THEN md5('bench-' || :'tree_key' || '-' || u || '-' || parent_label)::uuid END,
       position,
       sort_path,
       :'tree_name' || ' task ' || label || ' of bench user ' || u,
       CASE WHEN (p + i) % 2 = 0 THEN 'Seeded description of task ' || label || ': some notes, a link or two.' END,
       completed,
       CASE WHEN completed THEN c + interval '1 day' END,
       CASE WHEN (p * 7 + i + u) % 10 < 3 THEN 'low' WHEN (p * 7 + i + u) % 10 < 8 THEN 'medium' ELSE 'high' END,
       CASE WHEN i = 0 AND p % 10 < 7 THEN to_timestamp(:base) + ((p * 104729) % 259200 - 129600) * interval '1 minute' END,
       1,
       c,
       CASE WHEN completed THEN c + interval '1 day' ELSE c END
FROM tree_nodes;

-- Three tasks in four have a tag (the Inbox's proportion).
INSERT INTO task_tags (user_id, task_id, tag_id)
SELECT 'bench-user-' || u, md5('bench-' || :'tree_key' || '-' || u || '-' || label)::uuid,
       md5('bench-tag-' || u || '-' || ((p + i + j + k) % 8))::uuid
FROM tree_nodes
WHERE (p + i + j + k) % 4 <> 0;

DROP TABLE tree_nodes;
