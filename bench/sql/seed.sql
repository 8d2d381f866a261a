-- Bench data set: :users users x :tasks tasks each, with tags, mixed priorities, due dates, a third completed, all in
-- their Inbox; and per user a second list, "Projects", of :projects top-level tasks with subtasks up to 4 levels
-- deep (bench/sql/tree-list.sql: 300 top-level tasks make 1,200 tasks), all older than the Inbox's tasks, so the
-- pages of GET /api/v1/tasks (newest first) read the same rows as without it.
-- Run by bench/run.sh through psql after the server's Flyway migrations created the schema.
-- psql variables: users, tasks, base (epoch seconds; created_at and due dates are computed from it), projects
-- (default 300; 0: no Projects list).
--
-- Everything is deterministic, so pgbench scripts can address rows without reading them first:
--   user id     'bench-user-' || u                                   (u = 1..users)
--   task id     md5('bench-task-' || u || '-' || n)::uuid            (n = 1..tasks)
--   created_at  to_timestamp(base) - n * 47 min - u s - ((n * 7919) % 1000000) us  (n = 1 is the newest)
--   tag id      md5('bench-tag-' || u || '-' || k)::uuid             (k = 0..7)
--   Projects    list md5('bench-projects-' || u)::uuid, tasks md5('bench-projects-' || u || '-' || label)::uuid
--               (label 'p', 'p.i', 'p.i.j', 'p.i.j.k': see tree-list.sql)
\set ON_ERROR_STOP on
\if :{?projects}
\else
\set projects 300
\endif
SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';
SET work_mem = '64MB';

BEGIN;

-- Only bench-user-* rows are touched; a second seed of the same database starts over for them.
DELETE FROM users WHERE id LIKE 'bench-user-%';

-- The password hash is not a bcrypt hash: nobody logs in as these users (the bench mints access tokens).
INSERT INTO users (id, email, password_hash, name, created_at, updated_at)
SELECT 'bench-user-' || u, 'bench-user-' || u || '@bench.example', 'bench-no-login', 'Bench user ' || u,
       to_timestamp(:base) - interval '400 days', to_timestamp(:base) - interval '400 days'
FROM generate_series(1, :users) AS u;

-- Each user's default list (the server creates it with the user); every seeded task is in it.
INSERT INTO lists (user_id, id, name, position, is_default, created_at, updated_at)
SELECT 'bench-user-' || u, md5('bench-inbox-' || u)::uuid, 'Inbox', 'a0', true,
       to_timestamp(:base) - interval '400 days', to_timestamp(:base) - interval '400 days'
FROM generate_series(1, :users) AS u;

INSERT INTO tags (user_id, id, name, color, created_at, updated_at)
SELECT 'bench-user-' || u, md5('bench-tag-' || u || '-' || k)::uuid,
       (ARRAY['work', 'home', 'errands', 'urgent', 'later', 'health', 'finance', 'reading'])[k + 1],
       (ARRAY['#3b82f6', '#22c55e', NULL, '#ef4444', NULL, '#a855f7', '#eab308', NULL])[k + 1],
       to_timestamp(:base) - interval '400 days', to_timestamp(:base) - interval '400 days'
FROM generate_series(1, :users) AS u, generate_series(0, 7) AS k;

INSERT INTO tasks (user_id, id, list_id, position, sort_path, title, description, completed, completed_at, priority, due_date, version,
                   created_at, updated_at)
SELECT 'bench-user-' || u,
       md5('bench-task-' || u || '-' || n)::uuid,
       md5('bench-inbox-' || u)::uuid,
       'a0' || lpad(n::text, 7, '0') || 'V',     -- a valid order key, unique per user (OrderKeys)
       'a0' || lpad(n::text, 7, '0') || 'V',     -- its sort path: a top-level task's is its position
       'Task ' || n || ' of bench user ' || u,
       CASE WHEN n % 2 = 0 THEN 'Seeded description of task ' || n || ': some notes, a link or two, the usual.' END,
       n % 3 = 0,
       CASE WHEN n % 3 = 0 THEN c + interval '1 day' END,
       CASE WHEN (n * 7 + u) % 10 < 3 THEN 'low' WHEN (n * 7 + u) % 10 < 8 THEN 'medium' ELSE 'high' END,
       CASE WHEN n % 10 < 7 THEN to_timestamp(:base) + ((n * 104729) % 259200 - 129600) * interval '1 minute' END,
       1,
       c,
       CASE WHEN n % 3 = 0 THEN c + interval '1 day' ELSE c END
FROM generate_series(1, :users) AS u,
     generate_series(1, :tasks) AS n,
     LATERAL (SELECT to_timestamp(:base) - n * interval '47 minutes' - u * interval '1 second'
                     - ((n * 7919) % 1000000) * interval '1 microsecond' AS c) AS created;

-- Three tasks in four have a tag, one in five a second one.
INSERT INTO task_tags (user_id, task_id, tag_id)
SELECT 'bench-user-' || u, md5('bench-task-' || u || '-' || n)::uuid, md5('bench-tag-' || u || '-' || (n % 8))::uuid
FROM generate_series(1, :users) AS u, generate_series(1, :tasks) AS n
WHERE n % 4 <> 0
UNION ALL
SELECT 'bench-user-' || u, md5('bench-task-' || u || '-' || n)::uuid, md5('bench-tag-' || u || '-' || ((n / 5 + 3) % 8))::uuid
FROM generate_series(1, :users) AS u, generate_series(1, :tasks) AS n
WHERE n % 5 = 0 AND (n % 4 = 0 OR (n / 5 + 3) % 8 <> n % 8);

-- The Projects list: display order and moves (subtasks, sort paths).
SELECT :projects > 0 AS has_projects \gset
\if :has_projects
\set tree_key projects
\set tree_name Projects
\set tree_list_position a1
\set tree_users :users
\set tree_top :projects
\set tree_done_tenths 3
\ir tree-list.sql
\endif

COMMIT;

VACUUM (ANALYZE) users;
VACUUM (ANALYZE) tags;
VACUUM (ANALYZE) tasks;
VACUUM (ANALYZE) task_tags;
