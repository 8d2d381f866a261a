-- What POST /api/v1/tasks/{id}/move with {"after_id": sibling} or {"before_id": sibling} sends, in its transaction: lock
-- the task and the sibling (each read with its tags and subtask counts), lock the place (the list's row for a
-- top-level task, the parent's row for a subtask), read the neighbour's position on the far side of the sibling,
-- then one UPDATE of the task's subtree (its sort path range). The server's SQL, captured from PostgreSQL's log.
-- The task is one of the user's Projects list (bench/sql/tree-list.sql: :projects top-level tasks, 15 subtasks
-- under every fifth), picked uniformly among its tasks, as bench/lua/move.lua picks them; the sibling is another
-- of the same parent's children; after or before it half the time each.
-- Unlike the server, pgbench can't compute an order key between two others (OrderKeys.between, in Java): the new
-- position is the sibling's seeded key (a0 + 7 digits + V, so right after the sibling's original place) followed by
-- 'V', 12 random digits and 'V', a valid order key, unique with overwhelming likelihood and never longer than 24
-- characters however often a task moves; the statements and the rows they touch are the server's.
\set u random(1, :users)
\set t random(1, :projects + 15 * (:projects / 5))
\set after random(0, 1)
\set r random(100000000000, 999999999999)
\set i 0
\set j 0
\set k 0
\set si 0
\set sj 0
\set sk 0
\set pi 0
\set pj 0
\if :t <= :projects
-- a top-level task p and another top-level task
\set p :t
\set sp 1 + (:p + random(0, :projects - 2)) % :projects
\set last :sp
\elif :t <= :projects + 3 * (:projects / 5)
-- a subtask p.i (under p, one of 3) and another of p's
\set x :t - :projects - 1
\set p 5 * (:x / 3 + 1)
\set i :x % 3 + 1
\set si 1 + (:i + random(0, 1)) % 3
\set last :si
\set sp :p
\elif :t <= :projects + 9 * (:projects / 5)
-- p.i.j (one of 2) and the other
\set x :t - :projects - 3 * (:projects / 5) - 1
\set p 5 * (:x / 6 + 1)
\set i (:x / 2) % 3 + 1
\set j :x % 2 + 1
\set si :i
\set sj 3 - :j
\set pi :i
\set last :sj
\set sp :p
\else
-- p.i.1.k (one of 2) and the other
\set x :t - :projects - 9 * (:projects / 5) - 1
\set p 5 * (:x / 6 + 1)
\set i (:x / 2) % 3 + 1
\set j 1
\set k :x % 2 + 1
\set si :i
\set sj 1
\set sk 3 - :k
\set pi :i
\set pj 1
\set last :sk
\set sp :p
\endif
BEGIN;
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", (select coalesce(jsonb_agg(jsonb_build_array(t."v0", t."v1", t."v2")), jsonb_build_array()) from (select "tags"."id" as "v0", "tags"."name" as "v1", "tags"."color" as "v2" from "task_tags" join "tags" on ("tags"."user_id" = 'bench-user-' || :u and "tags"."id" = "task_tags"."tag_id") where ("task_tags"."user_id" = 'bench-user-' || :u and "task_tags"."task_id" = "tasks"."id") order by lower("tags"."name")) as t) as "tags", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = 'bench-user-' || :u and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = 'bench-user-' || :u and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count" from "tasks" where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid)) for update of "tasks"
\gset t_
select "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path", (select coalesce(jsonb_agg(jsonb_build_array(t."v0", t."v1", t."v2")), jsonb_build_array()) from (select "tags"."id" as "v0", "tags"."name" as "v1", "tags"."color" as "v2" from "task_tags" join "tags" on ("tags"."user_id" = 'bench-user-' || :u and "tags"."id" = "task_tags"."tag_id") where ("task_tags"."user_id" = 'bench-user-' || :u and "task_tags"."task_id" = "tasks"."id") order by lower("tags"."name")) as t) as "tags", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = 'bench-user-' || :u and "subtask"."parent_id" = "tasks"."id")) as "subtask_count", (select count(*) from "tasks" as "subtask" where ("subtask"."user_id" = 'bench-user-' || :u and "subtask"."parent_id" = "tasks"."id" and "subtask"."completed" = false)) as "open_subtask_count" from "tasks" where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :sp::int, nullif(:si::int, 0), nullif(:sj::int, 0), nullif(:sk::int, 0))) as uuid)) for update of "tasks"
\gset s_
\if :t <= :projects
select "lists"."user_id", "lists"."id", "lists"."name", "lists"."color", "lists"."position", "lists"."is_default", "lists"."version", "lists"."created_at", "lists"."updated_at" from "lists" where ("lists"."user_id" = 'bench-user-' || :u and "lists"."id" = cast(md5('bench-projects-' || :u) as uuid)) for update;
\if :after
select min("tasks"."position") from "tasks" where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."list_id" = cast(md5('bench-projects-' || :u) as uuid) and "tasks"."parent_id" is null and "tasks"."position" > :s_position and "tasks"."id" <> cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid));
\else
select max("tasks"."position") from "tasks" where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."list_id" = cast(md5('bench-projects-' || :u) as uuid) and "tasks"."parent_id" is null and "tasks"."position" < :s_position and "tasks"."id" <> cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid));
\endif
update "tasks" set "list_id" = cast(md5('bench-projects-' || :u) as uuid), "sort_path" = (('a0' || lpad(:last::text, 7, '0') || 'V' || 'V' || :r::text || 'V') || substring("tasks"."sort_path", char_length(:t_sort_path::text) + 1)), "parent_id" = case when "tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid) then cast(null as uuid) else "tasks"."parent_id" end, "position" = case when "tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid) then ('a0' || lpad(:last::text, 7, '0') || 'V' || 'V' || :r::text || 'V') else "tasks"."position" end, "version" = case when ("tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid) or "tasks"."list_id" <> cast(md5('bench-projects-' || :u) as uuid)) then ("tasks"."version" + 1) else "tasks"."version" end, "updated_at" = case when ("tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid) or "tasks"."list_id" <> cast(md5('bench-projects-' || :u) as uuid)) then cast(now() as timestamp with time zone) else "tasks"."updated_at" end where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."list_id" = cast(md5('bench-projects-' || :u) as uuid) and "tasks"."sort_path" >= :t_sort_path and "tasks"."sort_path" < :t_sort_path || '0') returning "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path";
\else
select "tasks"."sort_path" AS parent_path from "tasks" where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:pi::int, 0), nullif(:pj::int, 0))) as uuid)) for update
\gset
\if :after
select min("tasks"."position") from "tasks" where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."list_id" = cast(md5('bench-projects-' || :u) as uuid) and "tasks"."parent_id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:pi::int, 0), nullif(:pj::int, 0))) as uuid) and "tasks"."position" > :s_position and "tasks"."id" <> cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid));
\else
select max("tasks"."position") from "tasks" where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."list_id" = cast(md5('bench-projects-' || :u) as uuid) and "tasks"."parent_id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:pi::int, 0), nullif(:pj::int, 0))) as uuid) and "tasks"."position" < :s_position and "tasks"."id" <> cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid));
\endif
update "tasks" set "list_id" = cast(md5('bench-projects-' || :u) as uuid), "sort_path" = (((:parent_path || '/') || ('a0' || lpad(:last::text, 7, '0') || 'V' || 'V' || :r::text || 'V')) || substring("tasks"."sort_path", char_length(:t_sort_path::text) + 1)), "parent_id" = case when "tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid) then cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:pi::int, 0), nullif(:pj::int, 0))) as uuid) else "tasks"."parent_id" end, "position" = case when "tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid) then ('a0' || lpad(:last::text, 7, '0') || 'V' || 'V' || :r::text || 'V') else "tasks"."position" end, "version" = case when ("tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid) or "tasks"."list_id" <> cast(md5('bench-projects-' || :u) as uuid)) then ("tasks"."version" + 1) else "tasks"."version" end, "updated_at" = case when ("tasks"."id" = cast(md5('bench-projects-' || :u || '-' || concat_ws('.', :p::int, nullif(:i::int, 0), nullif(:j::int, 0), nullif(:k::int, 0))) as uuid) or "tasks"."list_id" <> cast(md5('bench-projects-' || :u) as uuid)) then cast(now() as timestamp with time zone) else "tasks"."updated_at" end where ("tasks"."user_id" = 'bench-user-' || :u and "tasks"."list_id" = cast(md5('bench-projects-' || :u) as uuid) and "tasks"."sort_path" >= :t_sort_path and "tasks"."sort_path" < :t_sort_path || '0') returning "tasks"."user_id", "tasks"."id", "tasks"."title", "tasks"."description", "tasks"."completed", "tasks"."completed_at", "tasks"."priority", "tasks"."due_date", "tasks"."recurrence_rule", "tasks"."version", "tasks"."created_at", "tasks"."updated_at", "tasks"."next_occurrence_created", "tasks"."list_id", "tasks"."parent_id", "tasks"."position", "tasks"."sort_path";
\endif
COMMIT;
