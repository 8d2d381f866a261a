#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of GET /api/v1/sync's statements on the bench database: the server's SQL as PostgreSQL's
# log shows it (ids bound one per parameter in (...), here inlined), for a full sync's first page and a page after
# a token (user FU, whose rows are all the seed's, change 0; the token page is page 6, its position from
# bench_sync_pages: bench/sql/sync-pages.sql), and for an incremental sync (user IU, the changes after SINCE, e.g.
# after the 100 title PATCHes of bench/run.sh's sync_incremental). Each statement runs once before its EXPLAIN.
# Usage: bench/sql/explain-sync.sh FU IU SINCE psql-args...   (e.g. -h 127.0.0.1 -p 55432 -U todo -d todo)
set -euo pipefail
FU=$1 IU=$2 SINCE=$3
shift 3
PSQL=(psql -X -q -v ON_ERROR_STOP=1 "$@")
q() { "${PSQL[@]}" -At -c "$1"; }
ids() { q "SELECT string_agg(quote_literal(id) || '::uuid', ', ') FROM ($1) x"; }

fu="'bench-user-$FU'" iu="'bench-user-$IU'"
pid=$(q "SELECT id FROM bench_sync_pages WHERE u = $FU AND k = 6")

walks() { # user seq floor [token position id]
    local u=$1 s=$2 f=$3 pos=${4:-}
    if [[ -z $pos ]]; then
        echo "select \"lists\".\"change_seq\", \"lists\".\"id\" from \"lists\" where (\"lists\".\"user_id\" = $u and \"lists\".\"change_seq\" > $s) order by \"lists\".\"change_seq\", \"lists\".\"id\" fetch next 1001 rows only"
        echo "select \"tags\".\"change_seq\", \"tags\".\"id\" from \"tags\" where (\"tags\".\"user_id\" = $u and \"tags\".\"change_seq\" > $s) order by \"tags\".\"change_seq\", \"tags\".\"id\" fetch next 1001 rows only"
        echo "select \"tasks\".\"change_seq\", \"tasks\".\"id\" from \"tasks\" where (\"tasks\".\"user_id\" = $u and \"tasks\".\"change_seq\" > $s) order by \"tasks\".\"change_seq\", \"tasks\".\"id\" fetch next 1001 rows only"
        echo "select \"tombstones\".\"change_seq\", \"tombstones\".\"kind\", \"tombstones\".\"id\", \"tombstones\".\"deleted_at\" from \"tombstones\" where (\"tombstones\".\"user_id\" = $u and \"tombstones\".\"change_seq\" > $f and \"tombstones\".\"change_seq\" > $s) order by \"tombstones\".\"change_seq\", \"tombstones\".\"kind\", \"tombstones\".\"id\" fetch next 1001 rows only"
    else
        echo "select \"lists\".\"change_seq\", \"lists\".\"id\" from \"lists\" where (\"lists\".\"user_id\" = $u and \"lists\".\"change_seq\" > $s) order by \"lists\".\"change_seq\", \"lists\".\"id\" fetch next 1001 rows only"
        echo "select \"tags\".\"change_seq\", \"tags\".\"id\" from \"tags\" where (\"tags\".\"user_id\" = $u and \"tags\".\"change_seq\" > $s) order by \"tags\".\"change_seq\", \"tags\".\"id\" fetch next 1001 rows only"
        echo "select \"tasks\".\"change_seq\", \"tasks\".\"id\" from \"tasks\" where (\"tasks\".\"user_id\" = $u and (\"tasks\".\"change_seq\", \"tasks\".\"id\") > ($s, cast('$pos' as uuid))) order by \"tasks\".\"change_seq\", \"tasks\".\"id\" fetch next 1001 rows only"
        echo "select \"tombstones\".\"change_seq\", \"tombstones\".\"kind\", \"tombstones\".\"id\", \"tombstones\".\"deleted_at\" from \"tombstones\" where (\"tombstones\".\"user_id\" = $u and \"tombstones\".\"change_seq\" > $f and (\"tombstones\".\"change_seq\", \"tombstones\".\"kind\", \"tombstones\".\"id\") > ($s, 'task', cast('$pos' as uuid))) order by \"tombstones\".\"change_seq\", \"tombstones\".\"kind\", \"tombstones\".\"id\" fetch next 1001 rows only"
    fi
}
repr_lists() { echo "select \"lists\".\"user_id\", \"lists\".\"id\", \"lists\".\"name\", \"lists\".\"color\", \"lists\".\"position\", \"lists\".\"is_default\", \"lists\".\"version\", \"lists\".\"created_at\", \"lists\".\"updated_at\", \"lists\".\"change_seq\", count(\"tasks\".\"id\") as \"task_count\", count(\"tasks\".\"id\") filter (where \"tasks\".\"completed\" = false) as \"open_task_count\" from \"lists\" left outer join \"tasks\" on (\"tasks\".\"user_id\" = $1 and \"tasks\".\"list_id\" = \"lists\".\"id\") where (\"lists\".\"user_id\" = $1 and \"lists\".\"id\" in ($2)) group by \"lists\".\"user_id\", \"lists\".\"id\" order by \"lists\".\"position\""; }
repr_tags() { echo "select \"tags\".\"user_id\", \"tags\".\"id\", \"tags\".\"name\", \"tags\".\"color\", \"tags\".\"created_at\", \"tags\".\"updated_at\", \"tags\".\"change_seq\", count(\"tasks\".\"id\") filter (where \"tasks\".\"completed\" = false) as \"open_task_count\" from \"tags\" left outer join \"task_tags\" on (\"task_tags\".\"user_id\" = $1 and \"task_tags\".\"tag_id\" = \"tags\".\"id\") left outer join \"tasks\" on (\"tasks\".\"user_id\" = $1 and \"tasks\".\"id\" = \"task_tags\".\"task_id\") where (\"tags\".\"user_id\" = $1 and \"tags\".\"id\" in ($2)) group by \"tags\".\"user_id\", \"tags\".\"id\" order by lower(\"tags\".\"name\")"; }
repr_tasks() { echo "select \"tasks\".\"user_id\", \"tasks\".\"id\", \"tasks\".\"title\", \"tasks\".\"description\", \"tasks\".\"completed\", \"tasks\".\"completed_at\", \"tasks\".\"priority\", \"tasks\".\"due_date\", \"tasks\".\"recurrence_rule\", \"tasks\".\"version\", \"tasks\".\"created_at\", \"tasks\".\"updated_at\", \"tasks\".\"next_occurrence_created\", \"tasks\".\"list_id\", \"tasks\".\"parent_id\", \"tasks\".\"position\", \"tasks\".\"sort_path\", \"tasks\".\"change_seq\", array(select \"task_tags\".\"tag_id\" from \"task_tags\" where (\"task_tags\".\"user_id\" = $1 and \"task_tags\".\"task_id\" = \"tasks\".\"id\")) as \"tag_ids\", (select count(*) from \"tasks\" as \"subtask\" where (\"subtask\".\"user_id\" = $1 and \"subtask\".\"parent_id\" = \"tasks\".\"id\")) as \"subtask_count\", (select count(*) from \"tasks\" as \"subtask\" where (\"subtask\".\"user_id\" = $1 and \"subtask\".\"parent_id\" = \"tasks\".\"id\" and \"subtask\".\"completed\" = false)) as \"open_subtask_count\" from \"tasks\" where (\"tasks\".\"user_id\" = $1 and \"tasks\".\"id\" in ($2))"; }
tag_lookup() { echo "select \"tags\".\"id\", \"tags\".\"name\", \"tags\".\"color\" from \"tags\" where (\"tags\".\"user_id\" = $1 and \"tags\".\"id\" = any (cast(cast('{$(q "SELECT string_agg(id::text, ',') FROM tags WHERE user_id = $1")}' as uuid[]) as uuid[])))"; }
counter() { echo "select \"change_counters\".\"seq\" from \"change_counters\" where \"change_counters\".\"user_id\" = $1"; }

explain() { # title statement
    echo "---- $1"
    "${PSQL[@]}" -c "SET jit = off" -c "$2" >/dev/null
    "${PSQL[@]}" -c "SET jit = off" -c "EXPLAIN (ANALYZE, BUFFERS) $2" | sed -E "s/\\('[0-9a-f-]{36}'::uuid(, '[0-9a-f-]{36}'::uuid)+\\)/(… uuids)/g; s/'\\{[0-9a-f,-]{200,}\\}'/'{… uuids}'/g"
}

echo "==== Full sync, first page (no token), user $FU"
explain "change counter" "$(counter "$fu")"
mapfile -t W < <(walks "$fu" -1 0)
explain "walk: lists" "${W[0]}"
explain "walk: tags" "${W[1]}"
explain "walk: tasks" "${W[2]}"
explain "walk: tombstones" "${W[3]}"
explain "lists with counts (2)" "$(repr_lists "$fu" "$(ids "SELECT id FROM lists WHERE user_id = $fu")")"
explain "tags with counts (8)" "$(repr_tags "$fu" "$(ids "SELECT id FROM tags WHERE user_id = $fu")")"
explain "tasks with tag ids and subtask counts (990)" "$(repr_tasks "$fu" "$(ids "SELECT id FROM tasks WHERE user_id = $fu AND change_seq > -1 ORDER BY change_seq, id LIMIT 990")")"
explain "tags lookup" "$(tag_lookup "$fu")"

echo
echo "==== Full sync, page 7 (after the token of page 6: change 0, task $pid), user $FU"
mapfile -t W < <(walks "$fu" 0 0 "$pid")
explain "walk: lists" "${W[0]}"
explain "walk: tags" "${W[1]}"
explain "walk: tasks (row comparison)" "${W[2]}"
explain "walk: tombstones (row comparison)" "${W[3]}"
explain "tasks with tag ids and subtask counts (1,000)" "$(repr_tasks "$fu" "$(ids "SELECT id FROM tasks WHERE user_id = $fu AND (change_seq, id) > (0, '$pid'::uuid) ORDER BY change_seq, id LIMIT 1000")")"

echo
echo "==== Incremental sync after change $SINCE, user $IU"
mapfile -t W < <(walks "$iu" "$SINCE" "$SINCE")
explain "walk: lists" "${W[0]}"
explain "walk: tags" "${W[1]}"
explain "walk: tasks" "${W[2]}"
explain "walk: tombstones" "${W[3]}"
explain "lists with counts (the Inbox, stamped by every change of its tasks)" \
    "$(repr_lists "$iu" "$(ids "SELECT id FROM lists WHERE user_id = $iu AND change_seq > $SINCE")")"
explain "tags with counts (those of the changed tasks)" \
    "$(repr_tags "$iu" "$(ids "SELECT id FROM tags WHERE user_id = $iu AND change_seq > $SINCE")")"
explain "tasks with tag ids and subtask counts (the changed ones)" \
    "$(repr_tasks "$iu" "$(ids "SELECT id FROM tasks WHERE user_id = $iu AND change_seq > $SINCE ORDER BY change_seq, id LIMIT 1000")")"

echo
echo "==== Write side: ChangeLog's statements in a toggle of a seeded task of user $FU (in a transaction rolled back)"
"${PSQL[@]}" <<SQL
SET jit = off;
BEGIN;
\\echo '---- take the change counter'
EXPLAIN (ANALYZE, BUFFERS) insert into "change_counters" ("user_id", "seq") values ($fu, 1) on conflict ("user_id") do update set "seq" = ("change_counters"."seq" + 1) returning "change_counters"."seq";
SELECT seq AS n FROM change_counters WHERE user_id = $fu \\gset
\\echo '---- the task (the toggle''s own UPDATE, shortened)'
EXPLAIN (ANALYZE, BUFFERS) update "tasks" set "change_seq" = :n, "completed" = not "completed", "completed_at" = CASE WHEN "completed" THEN NULL ELSE now() END, "version" = "version" + 1 where "tasks"."user_id" = $fu and "tasks"."id" = md5('bench-task-$FU-17')::uuid;
\\echo '---- stamp parents'
EXPLAIN (ANALYZE, BUFFERS) update "tasks" set "change_seq" = :n where ("tasks"."user_id" = $fu and "tasks"."change_seq" <> :n and "tasks"."id" in (select "changed"."parent_id" from "tasks" as "changed" where ("changed"."user_id" = $fu and "changed"."change_seq" = :n and "changed"."parent_id" is not null)));
\\echo '---- stamp lists'
EXPLAIN (ANALYZE, BUFFERS) update "lists" set "change_seq" = :n where ("lists"."user_id" = $fu and "lists"."change_seq" <> :n and ("lists"."id" in (select "changed"."list_id" from "tasks" as "changed" where ("changed"."user_id" = $fu and "changed"."change_seq" = :n)) or false));
\\echo '---- stamp tags'
EXPLAIN (ANALYZE, BUFFERS) update "tags" set "change_seq" = :n where ("tags"."user_id" = $fu and "tags"."change_seq" <> :n and ("tags"."id" in (select "task_tags"."tag_id" from "task_tags" join "tasks" as "changed" on ("changed"."user_id" = $fu and "changed"."id" = "task_tags"."task_id") where ("task_tags"."user_id" = $fu and "changed"."change_seq" = :n)) or false));
ROLLBACK;
SQL
