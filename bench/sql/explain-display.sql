-- EXPLAIN (ANALYZE, BUFFERS) of a display page (GET /api/v1/lists/{id}/tasks?limit=50: the server's statement as
-- PostgreSQL's log shows it, prepared with its parameters: $1 user id, $2 list id, $3 a cursor's sort path) against
-- the design not chosen: a recursive CTE over parent_id that computes the path order per request. Each runs three
-- times (custom plans, as the first five executions of a prepared statement get); the last plan is the one to read.
-- On a bench database (bench/sql/seed.sql) with the lists of bench/sql/explain-display-setup.sql; results and how
-- to run it: bench/results/2026-12-03-display-order.md.
--   psql -v user=bench-user-1 -f bench/sql/explain-display.sql
\set ON_ERROR_STOP on
\pset pager off
SELECT md5('bench-big-' || substr(:'user', 12))::uuid AS big, md5('bench-archive-' || substr(:'user', 12))::uuid AS archive \gset
-- A cursor in the middle of the list: after top-level task 1250 of 2500 (and its subtree).
\set after a00001250V

-- sort path, status=all, first page
PREPARE sort_path_all_first(text, uuid) AS
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", (select coalesce(jsonb_agg(jsonb_build_array(t."v0", t."v1", t."v2")), jsonb_build_array()) from (select "tags"."id" as "v0", "tags"."name" as "v1", "tags"."color" as "v2" from "task_tags" join "tags" on ("tags"."user_id" = $1 and "tags"."id" = "task_tags"."tag_id") where ("task_tags"."user_id" = $1 and "task_tags"."task_id" = "tasks"."id") order by lower("tags"."name")) as t) as "tags", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count" from "tasks" where ("tasks"."user_id" = $1 and "tasks"."list_id" = $2) order by "tasks"."sort_path" fetch next 51 rows only;

-- sort path, status=all, cursor page
PREPARE sort_path_all_cursor(text, uuid, text) AS
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", (select coalesce(jsonb_agg(jsonb_build_array(t."v0", t."v1", t."v2")), jsonb_build_array()) from (select "tags"."id" as "v0", "tags"."name" as "v1", "tags"."color" as "v2" from "task_tags" join "tags" on ("tags"."user_id" = $1 and "tags"."id" = "task_tags"."tag_id") where ("task_tags"."user_id" = $1 and "task_tags"."task_id" = "tasks"."id") order by lower("tags"."name")) as t) as "tags", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count" from "tasks" where ("tasks"."user_id" = $1 and "tasks"."list_id" = $2 and "tasks"."sort_path" > $3) order by "tasks"."sort_path" fetch next 51 rows only;

-- sort path, status=pending, first page
PREPARE sort_path_pending_first(text, uuid) AS
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", (select coalesce(jsonb_agg(jsonb_build_array(t."v0", t."v1", t."v2")), jsonb_build_array()) from (select "tags"."id" as "v0", "tags"."name" as "v1", "tags"."color" as "v2" from "task_tags" join "tags" on ("tags"."user_id" = $1 and "tags"."id" = "task_tags"."tag_id") where ("task_tags"."user_id" = $1 and "task_tags"."task_id" = "tasks"."id") order by lower("tags"."name")) as t) as "tags", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count" from "tasks" left outer join "tasks" as "ancestor1" on ("ancestor1"."user_id" = $1 and "ancestor1"."list_id" = $2 and "ancestor1"."id" = "tasks"."parent_id") left outer join "tasks" as "ancestor2" on ("ancestor2"."user_id" = $1 and "ancestor2"."list_id" = $2 and "ancestor2"."id" = "ancestor1"."parent_id") left outer join "tasks" as "ancestor3" on ("ancestor3"."user_id" = $1 and "ancestor3"."list_id" = $2 and "ancestor3"."id" = "ancestor2"."parent_id") where ("tasks"."user_id" = $1 and "tasks"."list_id" = $2 and "tasks"."completed" = false and ("ancestor1"."completed" is null or "ancestor1"."completed" = false) and ("ancestor2"."completed" is null or "ancestor2"."completed" = false) and ("ancestor3"."completed" is null or "ancestor3"."completed" = false)) order by "tasks"."sort_path" fetch next 51 rows only;

-- sort path, status=pending, cursor page
PREPARE sort_path_pending_cursor(text, uuid, text) AS
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", (select coalesce(jsonb_agg(jsonb_build_array(t."v0", t."v1", t."v2")), jsonb_build_array()) from (select "tags"."id" as "v0", "tags"."name" as "v1", "tags"."color" as "v2" from "task_tags" join "tags" on ("tags"."user_id" = $1 and "tags"."id" = "task_tags"."tag_id") where ("task_tags"."user_id" = $1 and "task_tags"."task_id" = "tasks"."id") order by lower("tags"."name")) as t) as "tags", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count" from "tasks" left outer join "tasks" as "ancestor1" on ("ancestor1"."user_id" = $1 and "ancestor1"."list_id" = $2 and "ancestor1"."id" = "tasks"."parent_id") left outer join "tasks" as "ancestor2" on ("ancestor2"."user_id" = $1 and "ancestor2"."list_id" = $2 and "ancestor2"."id" = "ancestor1"."parent_id") left outer join "tasks" as "ancestor3" on ("ancestor3"."user_id" = $1 and "ancestor3"."list_id" = $2 and "ancestor3"."id" = "ancestor2"."parent_id") where ("tasks"."user_id" = $1 and "tasks"."list_id" = $2 and "tasks"."sort_path" > $3 and "tasks"."completed" = false and ("ancestor1"."completed" is null or "ancestor1"."completed" = false) and ("ancestor2"."completed" is null or "ancestor2"."completed" = false) and ("ancestor3"."completed" is null or "ancestor3"."completed" = false)) order by "tasks"."sort_path" fetch next 51 rows only;

-- cte, status=all, first page
PREPARE cte_all_first(text, uuid) AS
with recursive tree (id, path, depth) as (
    select t.id, t.position::text collate "C", 0 from tasks t
    where t.user_id = $1 and t.list_id = $2 and t.parent_id is null
    union all
    select t.id, (tree.path || '/' || t.position) collate "C", tree.depth + 1 from tree
    join tasks t on t.user_id = $1 and t.list_id = $2 and t.parent_id = tree.id
)
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", (select coalesce(jsonb_agg(jsonb_build_array(t."v0", t."v1", t."v2")), jsonb_build_array()) from (select "tags"."id" as "v0", "tags"."name" as "v1", "tags"."color" as "v2" from "task_tags" join "tags" on ("tags"."user_id" = $1 and "tags"."id" = "task_tags"."tag_id") where ("task_tags"."user_id" = $1 and "task_tags"."task_id" = "tasks"."id") order by lower("tags"."name")) as t) as "tags", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count", page.depth
from (select id, path, depth from tree order by path fetch next 51 rows only) as page
join tasks on tasks.user_id = $1 and tasks.id = page.id order by page.path;

-- cte, status=all, cursor page
PREPARE cte_all_cursor(text, uuid, text) AS
with recursive tree (id, path, depth) as (
    select t.id, t.position::text collate "C", 0 from tasks t
    where t.user_id = $1 and t.list_id = $2 and t.parent_id is null
    union all
    select t.id, (tree.path || '/' || t.position) collate "C", tree.depth + 1 from tree
    join tasks t on t.user_id = $1 and t.list_id = $2 and t.parent_id = tree.id
)
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", (select coalesce(jsonb_agg(jsonb_build_array(t."v0", t."v1", t."v2")), jsonb_build_array()) from (select "tags"."id" as "v0", "tags"."name" as "v1", "tags"."color" as "v2" from "task_tags" join "tags" on ("tags"."user_id" = $1 and "tags"."id" = "task_tags"."tag_id") where ("task_tags"."user_id" = $1 and "task_tags"."task_id" = "tasks"."id") order by lower("tags"."name")) as t) as "tags", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count", page.depth
from (select id, path, depth from tree where tree.path > $3 order by path fetch next 51 rows only) as page
join tasks on tasks.user_id = $1 and tasks.id = page.id order by page.path;

-- cte, status=pending, first page
PREPARE cte_pending_first(text, uuid) AS
with recursive tree (id, path, depth) as (
    select t.id, t.position::text collate "C", 0 from tasks t
    where t.user_id = $1 and t.list_id = $2 and t.parent_id is null and not t.completed
    union all
    select t.id, (tree.path || '/' || t.position) collate "C", tree.depth + 1 from tree
    join tasks t on t.user_id = $1 and t.list_id = $2 and t.parent_id = tree.id and not t.completed
)
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", (select coalesce(jsonb_agg(jsonb_build_array(t."v0", t."v1", t."v2")), jsonb_build_array()) from (select "tags"."id" as "v0", "tags"."name" as "v1", "tags"."color" as "v2" from "task_tags" join "tags" on ("tags"."user_id" = $1 and "tags"."id" = "task_tags"."tag_id") where ("task_tags"."user_id" = $1 and "task_tags"."task_id" = "tasks"."id") order by lower("tags"."name")) as t) as "tags", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count", page.depth
from (select id, path, depth from tree order by path fetch next 51 rows only) as page
join tasks on tasks.user_id = $1 and tasks.id = page.id order by page.path;

-- cte, status=pending, cursor page
PREPARE cte_pending_cursor(text, uuid, text) AS
with recursive tree (id, path, depth) as (
    select t.id, t.position::text collate "C", 0 from tasks t
    where t.user_id = $1 and t.list_id = $2 and t.parent_id is null and not t.completed
    union all
    select t.id, (tree.path || '/' || t.position) collate "C", tree.depth + 1 from tree
    join tasks t on t.user_id = $1 and t.list_id = $2 and t.parent_id = tree.id and not t.completed
)
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", (select coalesce(jsonb_agg(jsonb_build_array(t."v0", t."v1", t."v2")), jsonb_build_array()) from (select "tags"."id" as "v0", "tags"."name" as "v1", "tags"."color" as "v2" from "task_tags" join "tags" on ("tags"."user_id" = $1 and "tags"."id" = "task_tags"."tag_id") where ("task_tags"."user_id" = $1 and "task_tags"."task_id" = "tasks"."id") order by lower("tags"."name")) as t) as "tags", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = $1 and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count", page.depth
from (select id, path, depth from tree where tree.path > $3 order by path fetch next 51 rows only) as page
join tasks on tasks.user_id = $1 and tasks.id = page.id order by page.path;

\echo '=== sort_path, status=all, first page, list big'
\o /dev/null
EXPLAIN (ANALYZE) EXECUTE sort_path_all_first(:'user', :'big');
EXPLAIN (ANALYZE) EXECUTE sort_path_all_first(:'user', :'big');
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE sort_path_all_first(:'user', :'big');

\echo '=== cte, status=all, first page, list big'
\o /dev/null
EXPLAIN (ANALYZE) EXECUTE cte_all_first(:'user', :'big');
EXPLAIN (ANALYZE) EXECUTE cte_all_first(:'user', :'big');
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE cte_all_first(:'user', :'big');

\echo '=== sort_path, status=all, cursor page, list big'
\o /dev/null
EXPLAIN (ANALYZE) EXECUTE sort_path_all_cursor(:'user', :'big', :'after');
EXPLAIN (ANALYZE) EXECUTE sort_path_all_cursor(:'user', :'big', :'after');
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE sort_path_all_cursor(:'user', :'big', :'after');

\echo '=== cte, status=all, cursor page, list big'
\o /dev/null
EXPLAIN (ANALYZE) EXECUTE cte_all_cursor(:'user', :'big', :'after');
EXPLAIN (ANALYZE) EXECUTE cte_all_cursor(:'user', :'big', :'after');
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE cte_all_cursor(:'user', :'big', :'after');

\echo '=== sort_path, status=pending, first page, list archive'
\o /dev/null
EXPLAIN (ANALYZE) EXECUTE sort_path_pending_first(:'user', :'archive');
EXPLAIN (ANALYZE) EXECUTE sort_path_pending_first(:'user', :'archive');
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE sort_path_pending_first(:'user', :'archive');

\echo '=== cte, status=pending, first page, list archive'
\o /dev/null
EXPLAIN (ANALYZE) EXECUTE cte_pending_first(:'user', :'archive');
EXPLAIN (ANALYZE) EXECUTE cte_pending_first(:'user', :'archive');
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE cte_pending_first(:'user', :'archive');

\echo '=== sort_path, status=pending, cursor page, list archive'
\o /dev/null
EXPLAIN (ANALYZE) EXECUTE sort_path_pending_cursor(:'user', :'archive', :'after');
EXPLAIN (ANALYZE) EXECUTE sort_path_pending_cursor(:'user', :'archive', :'after');
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE sort_path_pending_cursor(:'user', :'archive', :'after');

\echo '=== cte, status=pending, cursor page, list archive'
\o /dev/null
EXPLAIN (ANALYZE) EXECUTE cte_pending_cursor(:'user', :'archive', :'after');
EXPLAIN (ANALYZE) EXECUTE cte_pending_cursor(:'user', :'archive', :'after');
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE cte_pending_cursor(:'user', :'archive', :'after');

\echo '=== sort_path, status=pending, first page, list big'
\o /dev/null
EXPLAIN (ANALYZE) EXECUTE sort_path_pending_first(:'user', :'big');
EXPLAIN (ANALYZE) EXECUTE sort_path_pending_first(:'user', :'big');
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE sort_path_pending_first(:'user', :'big');

\echo '=== cte, status=pending, first page, list big'
\o /dev/null
EXPLAIN (ANALYZE) EXECUTE cte_pending_first(:'user', :'big');
EXPLAIN (ANALYZE) EXECUTE cte_pending_first(:'user', :'big');
\o
EXPLAIN (ANALYZE, BUFFERS) EXECUTE cte_pending_first(:'user', :'big');
