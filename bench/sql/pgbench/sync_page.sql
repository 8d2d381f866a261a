-- What GET /api/v1/sync?limit=1000 sends for one page of a full sync (the server's SQL, captured from PostgreSQL's
-- log): one REPEATABLE READ, READ ONLY transaction (with the session-characteristics statements Spring's
-- isolation handling wraps it in) reading the user's change counter, the four ordered walks (lists, tags, tasks,
-- tombstones), then the representations. A random page of a random user's full sync: 1 in 12 the first (no token:
-- 2 lists, 8 tags, 990 tasks, each with its counts), the others after a page position (1,000 tasks), read from
-- bench_sync_pages (bench/sql/sync-pages.sql) before the transaction. Differences from the server: the walks are
-- wrapped in array_agg, so that pgbench can pass the ids on (\gset keeps one row), and the representations take
-- the ids as one uuid[] (= any) where the server binds one parameter per id (in (...), which PostgreSQL turns into
-- the same = ANY(ARRAY[...])).
-- pgbench variables: users, syncpages (the last page's number), synchead (lists and tags of a user: the first page's
-- tasks are 1,000 minus those).
\set u random(1, :users)
\set k random(0, :syncpages)
select seq as pseq, id as pid, tag_ids as tids from bench_sync_pages where u = :u and k = :k \gset
SHOW TRANSACTION ISOLATION LEVEL;
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ;
BEGIN READ ONLY;
select "change_counters"."seq" from "change_counters" where "change_counters"."user_id" = 'bench-user-' || :u;
\if :k = 0
select array_agg(w."id") as lids from (select "lists"."change_seq", "lists"."id" from "lists" where ("lists"."user_id" = 'bench-user-' || :u and "lists"."change_seq" > -1) order by "lists"."change_seq", "lists"."id" fetch next 1001 rows only) as w \gset
select array_agg(w."id") as gids from (select "tags"."change_seq", "tags"."id" from "tags" where ("tags"."user_id" = 'bench-user-' || :u and "tags"."change_seq" > -1) order by "tags"."change_seq", "tags"."id" fetch next 1001 rows only) as w \gset
select (array_agg(w."id"))[1:1000 - :synchead] as ids from (select "tasks"."change_seq", "tasks"."id" from "tasks" where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."change_seq" > -1) order by "tasks"."change_seq", "tasks"."id" fetch next 1001 rows only) as w \gset
select "tombstones"."change_seq", "tombstones"."kind", "tombstones"."id", "tombstones"."deleted_at" from "tombstones" where ("tombstones"."user_id" = 'bench-user-' || :u and "tombstones"."change_seq" > 0 and "tombstones"."change_seq" > -1) order by "tombstones"."change_seq", "tombstones"."kind", "tombstones"."id" fetch next 1001 rows only;
select "lists"."user_id", "lists"."id", "lists"."name", "lists"."color", "lists"."position", "lists"."is_default", "lists"."version", "lists"."created_at", "lists"."updated_at", "lists"."change_seq", count("tasks"."id") as "task_count", count("tasks"."id") filter (where "tasks"."completed" = false) as "open_task_count" from "lists" left outer join "tasks" on ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."list_id" = "lists"."id") where ("lists"."user_id" = 'bench-user-' || :u and "lists"."id" = any (cast(:lids as uuid[]))) group by "lists"."user_id", "lists"."id" order by "lists"."position";
select "tags"."user_id", "tags"."id", "tags"."name", "tags"."color", "tags"."created_at", "tags"."updated_at", "tags"."change_seq", count("tasks"."id") filter (where "tasks"."completed" = false) as "open_task_count" from "tags" left outer join "task_tags" on ("task_tags"."user_id" = 'bench-user-' || :u and "task_tags"."tag_id" = "tags"."id") left outer join "tasks" on ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."id" = "task_tags"."task_id") where ("tags"."user_id" = 'bench-user-' || :u and "tags"."id" = any (cast(:gids as uuid[]))) group by "tags"."user_id", "tags"."id" order by lower("tags"."name");
\else
select "lists"."change_seq", "lists"."id" from "lists" where ("lists"."user_id" = 'bench-user-' || :u and "lists"."change_seq" > :pseq) order by "lists"."change_seq", "lists"."id" fetch next 1001 rows only;
select "tags"."change_seq", "tags"."id" from "tags" where ("tags"."user_id" = 'bench-user-' || :u and "tags"."change_seq" > :pseq) order by "tags"."change_seq", "tags"."id" fetch next 1001 rows only;
select (array_agg(w."id"))[1:1000] as ids from (select "tasks"."change_seq", "tasks"."id" from "tasks" where ("tasks"."user_id" = 'bench-user-' || :u and ("tasks"."change_seq", "tasks"."id") > (:pseq, cast(:pid as uuid))) order by "tasks"."change_seq", "tasks"."id" fetch next 1001 rows only) as w \gset
select "tombstones"."change_seq", "tombstones"."kind", "tombstones"."id", "tombstones"."deleted_at" from "tombstones" where ("tombstones"."user_id" = 'bench-user-' || :u and "tombstones"."change_seq" > 0 and ("tombstones"."change_seq", "tombstones"."kind", "tombstones"."id") > (:pseq, 'task', cast(:pid as uuid))) order by "tombstones"."change_seq", "tombstones"."kind", "tombstones"."id" fetch next 1001 rows only;
\endif
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", "tasks"."change_seq", array(select "task_tags"."tag_id" from "task_tags" where ("task_tags"."user_id" = 'bench-user-' || :u and "task_tags"."task_id" = "tasks"."id")) as "tag_ids", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = 'bench-user-' || :u and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = 'bench-user-' || :u and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count" from "tasks" where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."id" = any (cast(:ids as uuid[])));
select "tags"."id", "tags"."name", "tags"."color" from "tags" where ("tags"."user_id" = 'bench-user-' || :u and "tags"."id" = any (cast(cast(:tids as uuid[]) as uuid[])));
COMMIT;
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED;
