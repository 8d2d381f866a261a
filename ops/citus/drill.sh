#!/usr/bin/env bash
# Citus drill: the server on a Citus coordinator with two workers, the schema distributed by ops/citus/distribute.sql,
# checked by a black-box client. See ops/citus/README.md.
#
# Needs a Citus build installed into the PostgreSQL whose binaries it uses (citus.so in pg_config --pkglibdir);
# without one it says what it needs and skips (exit 0, "== citus: SKIP =="). Then:
#   - initialises a coordinator and two workers on loopback (free ports from 55632), CREATE EXTENSION citus on each,
#     citus_set_coordinator_host / citus_add_node;
#   - starts the jar against the coordinator (Flyway migrates), stops it, applies distribute.sql and checks the
#     layout (what is distributed, colocated, reference; shards on both workers); when distributing fails (before
#     V4: the unique index on lower(email) blocks users) it records the failure and, by default, drops the blocking
#     unique index of users and runs the script again, so that everything after it is still measured;
#   - restarts the jar and runs the client: accounts (register, duplicate email in another case, login, me),
#     tasks (create, idempotent replay, list pages and filters, get, PATCH/PUT/toggle with If-Match, recurrence,
#     delete), another user's task and tag (404), tags, refresh rotation and reuse detection, a refresh token of
#     the old format (no user in it), logout, password change, account deletion; then where one user's rows are
#     (one shard group, one worker) and whether DDL of a later migration reaches every shard;
#   - EXPLAINs on the coordinator every statement the server ran for login, create, get-by-id, list pages, the
#     locked update (SELECT ... FOR UPDATE), refresh and account deletion (captured from the coordinator's log with
#     their parameters) and prints each plan's Task Count: 1 is a single-shard (router) statement, 32 a fan-out;
#     every statement of those requests must be single-shard (the old-format refresh is printed, not checked).
#
# Usage: ops/citus/drill.sh [--jar PATH] [--keep] [--users-fallback drop-index|stop] [--no-distribute] ...  (--help)
set -uo pipefail
DRILL=citus
CITUS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The PostgreSQL to use: PG_BIN, or the newest /usr/lib/postgresql/*/bin that has a Citus build.
pkglibdir_of() {
    if [[ -x $1/pg_config ]]; then
        "$1/pg_config" --pkglibdir
    elif command -v pg_config >/dev/null && [[ $(pg_config --bindir) == "$1" ]]; then
        pg_config --pkglibdir
    else
        echo "$(dirname "$1")/lib"
    fi
}
if [[ -z ${PG_BIN:-} ]]; then
    for bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [[ -f $(pkglibdir_of "$bin")/citus.so ]]; then PG_BIN=$bin; break; fi
    done
fi
source "$CITUS_DIR/../faults/lib.sh"

PG_PORT_START=55632
USERS_FALLBACK=drop-index
DISTRIBUTE=1
SERVER_ENV=()

usage() {
    cat <<EOF
Usage: ops/citus/drill.sh [options]

  --users-fallback M  when distribute.sql fails on users: drop-index (default: drop the unique indexes of users
                      that do not contain id, run the script again, go on and report the rest) or stop
  --no-distribute     leave every table local on the coordinator (a control run of the same client)
${COMMON_USAGE/default 55532/default 55632}
Citus: a build in the pkglibdir of PG_BIN's pg_config (default: the newest /usr/lib/postgresql/*/bin that has
citus.so). First PostgreSQL port 55632 unless --pg-port; the coordinator and the workers take the next free ones.
EOF
}

while (($#)); do
    case $1 in
        --users-fallback) USERS_FALLBACK=${2:?--users-fallback needs drop-index or stop}; shift 2 ;;
        --no-distribute) DISTRIBUTE=0; shift ;;
        *) common_option "$@" || { usage >&2; exit 2; }; shift "$SHIFT_BY" ;;
    esac
done
[[ $USERS_FALLBACK == drop-index || $USERS_FALLBACK == stop ]] || die "--users-fallback: drop-index or stop, not $USERS_FALLBACK"

CITUS_LIB=$(pkglibdir_of "$PG_BIN")
if [[ ! -f $CITUS_LIB/citus.so ]]; then
    echo "citus: needs a Citus build for the PostgreSQL in $PG_BIN (citus.so in $CITUS_LIB, its pg_config --pkglibdir; Citus is not in Debian's packages: build Citus 12.1.x from source against postgresql-server-dev-15 and make install, see ops/citus/README.md, or set PG_BIN to the binaries it was built for)"
    echo
    echo "== citus: SKIP =="
    exit 0
fi

# ---------------------------------------------------------------- the cluster

NODES=(coordinator worker1 worker2)
declare -A NODE_PORT NODE_DIR
declare -A TYPE COLUMN COLOC SHARDS   # the layout after distribution, by table
WORK=${WORK:-/tmp/faults-work/$DRILL}

# A leftover of an interrupted earlier run: stop its nodes before setup empties the work dir.
for node in "${NODES[@]}"; do
    if [[ -f $WORK/$node/data/postmaster.pid ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$WORK/$node/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
done

# Replaces lib.sh's cleanup (the trap calls it by name): stops the servers and every node.
cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    local name node
    for name in "${SERVER_NAMES[@]}"; do
        [[ -n ${SERVER_PID[$name]:-} ]] && stop_server "$name" TERM 25 quiet
    done
    for node in "${NODES[@]}"; do
        [[ -f ${NODE_DIR[$node]:-/nonexistent}/data/postmaster.pid ]] &&
            as_pg "$PG_BIN/pg_ctl" -D "${NODE_DIR[$node]}/data" -m fast -w -t 60 stop >/dev/null
    done
    if ((status == 0 && KEEP == 0)); then
        rm -rf "$WORK"
    else
        log "work dir kept: $WORK"
    fi
    exit "$status"
}

# node_start NAME: initdb, citus preloaded, started, database todo with the extension.
node_start() {
    local node=$1 dir=$WORK/$1 port
    alloc_port port "$PG_PORT_START"
    NODE_PORT[$node]=$port NODE_DIR[$node]=$dir
    mkdir -p "$dir"
    ((EUID == 0)) && chown postgres: "$dir"
    as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || die "initdb of $node failed: $(tail -3 "$dir/initdb.log")"
    cat >>"$dir/data/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_preload_libraries = 'citus'
max_connections = 200
shared_buffers = 48MB
fsync = off
log_line_prefix = '%m [%p] %a '
EOF
    if [[ $node == coordinator ]]; then
        # Every statement, with its parameters, as JSON lines: the statements to EXPLAIN are taken from there.
        cat >>"$dir/data/postgresql.conf" <<EOF
logging_collector = on
log_destination = 'stderr,jsonlog'
log_directory = '$dir/log'
log_filename = 'coordinator.log'
log_statement = 'all'
log_parameter_max_length_on_error = -1
EOF
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 60 start >/dev/null \
        || die "$node did not start: $(tail -5 "$dir/pg.log")"
    nsql "$node" postgres "CREATE DATABASE todo" >/dev/null || die "CREATE DATABASE on $node failed"
    nsql "$node" todo "CREATE EXTENSION citus" >/dev/null || die "CREATE EXTENSION citus on $node failed"
}

# nsql NODE DB SQL: unaligned, tuples only, stops at the first error.
nsql() { PGCONNECT_TIMEOUT=5 "$PSQL" -X -h 127.0.0.1 -p "${NODE_PORT[$1]}" -U postgres -d "$2" -Atq -v ON_ERROR_STOP=1 -c "$3"; }
csql() { nsql coordinator todo "$1"; }

# mark TEXT: a line in the coordinator's log; the statements between "begin:NAME" and "end:NAME" are one request's.
mark() { csql "SELECT 'citus-drill:$1'" >/dev/null; }

# ---------------------------------------------------------------- the client

J='Content-Type: application/json'
MP='Content-Type: application/merge-patch+json'

# api METHOD PATH TOKEN [curl options...] (TOKEN "" for none)
api() {
    local method=$1 path=$2 token=$3
    shift 3
    if [[ -n $token ]]; then
        req "$method" "$(url A "$path")" -H "Authorization: Bearer $token" "$@"
    else
        req "$method" "$(url A "$path")" "$@"
    fi
}

# hdr NAME: the value of a response header of the last request.
hdr() { awk -v n="${1,,}" '{ sub(/\r$/, "") } tolower($0) ~ "^" n ":" { sub(/^[^:]*: */, ""); print; exit }' <<<"$R_HEADERS"; }

# jb [jq options] FILTER: jq -r over the last body ("" when it is not JSON).
jb() { jq -r "$@" <<<"$R_BODY" 2>/dev/null; }

hint() {
    local detail
    detail=$(jq -r '.detail // empty' <<<"$R_BODY" 2>/dev/null)
    [[ -n $detail ]] || detail=${R_BODY:0:160}
    [[ -n $detail ]] && printf ': %s' "${detail:0:200}"
}

# expect STATUS CODE MESSAGE: the last answer had this status (and this problem code, unless CODE is "").
expect() {
    if [[ $R_STATUS == "$1" && (-z $2 || $R_CODE == "$2") ]]; then
        pass "$3"
        return 0
    fi
    fail "$3 (got $R_STATUS${R_CODE:+ $R_CODE}$(hint), expected $1${2:+ $2})"
    return 1
}

# that CONDITION-RESULT MESSAGE [DETAIL]: a check on a value computed by the caller (0/1 or true/false).
that() {
    if [[ $1 == true || $1 == 1 ]]; then pass "$2"; else fail "$2${3:+ ($3)}"; fi
}

# windowed NAME METHOD PATH TOKEN [curl options...]: one request between marks (its statements are EXPLAINed).
# FANOUT_OK[NAME]=REASON: the window's plans are printed but not held to single-shard (a documented fan-out).
WINDOWS=()
declare -A WINDOW_LABEL FANOUT_OK
windowed() {
    local name=$1
    shift
    WINDOWS+=("$name")
    WINDOW_LABEL[$name]="$1 $2"
    mark "begin:$name"
    api "$@"
    mark "end:$name"
}

future() { date -u -d "+$1" +%Y-%m-%dT%H:%M:%SZ; }

run_client() {
    local ea="citus-a-$RUN_ID@example.com" eb="citus-b-$RUN_ID@example.com" ec="citus-c-$RUN_ID@example.com"
    local pw="citus drill password"
    local ta ra ua tb rb ub t1 t2 t3 e1 e1b n1 tg r2 r3 rl body ids

    log "client: accounts"
    api POST /api/v1/auth/register "" -H "$J" -d "$(jq -nc --arg e "$ea" --arg p "$pw" '{email:$e,password:$p,name:"Ada"}')"
    expect 201 "" "register A" || die "cannot go on without a user: $R_BODY"
    ta=$(jb .access_token) ra=$(jb .refresh_token) ua=$(jb .user.id)
    that "$([[ -n $ta && $ta != null && -n $ra && $ra != null ]] && echo 1)" "register A: access and refresh token in the body"
    api POST /api/v1/auth/register "" -H "$J" -d "$(jq -nc --arg e "$eb" --arg p "$pw" '{email:$e,password:$p,name:"Bob"}')"
    expect 201 "" "register B" || die "cannot go on without a second user: $R_BODY"
    tb=$(jb .access_token) rb=$(jb .refresh_token) ub=$(jb .user.id)

    # The duplicate in another case with a user of its own: should it get in, only C's logins break.
    api POST /api/v1/auth/register "" -H "$J" -d "$(jq -nc --arg e "$ec" --arg p "$pw" '{email:$e,password:$p}')"
    expect 201 "" "register C"
    api POST /api/v1/auth/register "" -H "$J" -d "$(jq -nc --arg e "${ec^^}" --arg p "$pw" '{email:$e,password:$p}')"
    expect 409 EMAIL_ALREADY_EXISTS "register C's email again in upper case: 409 EMAIL_ALREADY_EXISTS"
    api POST /api/v1/auth/login "" -H "$J" -d "$(jq -nc --arg e "${ec^^}" --arg p "$pw" '{email:$e,password:$p}')"
    expect 200 "" "login C with the email in upper case"
    api POST /api/v1/auth/login "" -H "$J" -d "$(jq -nc --arg e "$ec" --arg p "$pw" '{email:$e,password:$p}')"
    expect 200 "" "login C as registered"

    windowed login POST /api/v1/auth/login "" -H "$J" -d "$(jq -nc --arg e "$ea" --arg p "$pw" '{email:$e,password:$p}')"
    expect 200 "" "login A (JSON)" && that "$(jb '.user.id == "'"$ua"'"')" "login A: the token is A's"
    api POST /api/v1/auth/login "" -H "$J" -d "$(jq -nc --arg e "$ea" '{email:$e,password:"wrong password!"}')"
    expect 401 INVALID_CREDENTIALS "login with a wrong password: 401 INVALID_CREDENTIALS"
    api POST /api/v1/auth/login "" -H "$J" -d "$(jq -nc --arg p "$pw" '{email:"nobody-citus@example.com",password:$p}')"
    expect 401 INVALID_CREDENTIALS "login with an unknown email: 401 INVALID_CREDENTIALS"
    api POST /api/v1/auth/login "" --data-urlencode "username=$ea" --data-urlencode "password=$pw" --data-urlencode grant_type=password
    expect 200 "" "login A (OAuth2 password form)"
    api GET /api/v1/auth/me "$ta"
    expect 200 "" "GET /auth/me" && that "$(jb '.id == "'"$ua"'" and .email == "'"$ea"'"')" "me: A's id and email"
    api PATCH /api/v1/auth/me "$ta" -H "$J" -d '{"name":"Ada King"}'
    expect 200 "" "PATCH /auth/me" && that "$(jb '.name == "Ada King"')" "me: the new name"
    api GET /api/v1/auth/me ""
    expect 401 "" "GET /auth/me without a token: 401"

    log "client: tasks"
    body=$(jq -nc --arg d "$(future '2 days')" '{title:"Write the report",priority:"high",due_date:$d,tags:["work","Home"]}')
    windowed create POST /api/v1/tasks "$ta" -H "$J" -H "Idempotency-Key: k1-$RUN_ID" -d "$body"
    expect 201 "" "create a task with two new tags and an Idempotency-Key"
    t1=$(jb .id) e1=$(hdr ETag)
    that "$([[ -n $e1 && $(hdr Location) == */api/v1/tasks/$t1 ]] && echo 1)" "create: ETag and Location" "ETag '$e1', Location '$(hdr Location)'"
    that "$(jb '[.tags[].name] == ["Home","work"]')" "create: the task has its tags, by name" "$(jb -c '[.tags[].name]')"
    api POST /api/v1/tasks "$ta" -H "$J" -H "Idempotency-Key: k1-$RUN_ID" -d "$body"
    expect 201 "" "the same create again with the same Idempotency-Key"
    that "$([[ $(jb .id) == "$t1" && $R_REPLAYED == true ]] && echo 1)" "replay: the first task, Idempotent-Replayed: true" "id $(jb .id), replayed '$R_REPLAYED'"
    api POST /api/v1/tasks "$ta" -H "$J" -H "Idempotency-Key: k1-$RUN_ID" -d '{"title":"Something else"}'
    expect 422 IDEMPOTENCY_KEY_REUSED "the same Idempotency-Key with another body: 422 IDEMPOTENCY_KEY_REUSED"
    api POST /api/v1/tasks "$ta" -H "$J" -d '{"title":"Buy milk","priority":"low"}'
    expect 201 "" "create a second task"
    t2=$(jb .id)
    api POST /api/v1/tasks "$ta" -H "$J" -d '{"title":"Water the plants","due_date":"2030-01-01T09:00:00Z","recurrence_rule":"FREQ=DAILY","tags":["home"]}'
    expect 201 "" "create a recurring task (tag name in another case)"
    t3=$(jb .id)
    that "$(jb '[.tags[].name] == ["Home"]')" "recurring task: the existing tag Home, not a new one" "$(jb -c '[.tags[].name]')"

    windowed get GET "/api/v1/tasks/$t1" "$ta"
    expect 200 "" "get a task by id" && that "$([[ $(jb .id) == "$t1" && $(hdr ETag) == "$e1" ]] && echo 1)" "get: the task and its ETag"
    windowed list GET "/api/v1/tasks?limit=2" "$ta"
    expect 200 "" "list, first page of 2"
    local cursor first_ids
    cursor=$(jb '.next_cursor // ""') first_ids=$(jb '[.items[].id] | join(" ")')
    that "$([[ $(jb '.items | length') == 2 && -n $cursor ]] && echo 1)" "list: 2 items and a next_cursor"
    api GET "/api/v1/tasks?limit=2&cursor=$(jq -rn --arg c "$cursor" '$c | @uri')" "$ta"
    expect 200 "" "list, second page"
    ids=$(printf '%s\n' $first_ids $(jb '[.items[].id] | join(" ")') | sort | paste -sd' ')
    that "$([[ $ids == "$(printf '%s\n' "$t1" "$t2" "$t3" | sort | paste -sd' ')" && $(jb '.next_cursor // ""') == "" ]] && echo 1)" \
        "list: the two pages hold the three tasks, no further cursor"
    windowed list-filtered GET "/api/v1/tasks?status=pending&tag=WORK&sort=due_date&limit=10" "$ta"
    expect 200 "" "list filtered by status and tag, sorted by due date" && that "$(jb '[.items[].id] == ["'"$t1"'"]')" "filtered list: just the task tagged work"
    api GET "/api/v1/tasks?priority=low" "$ta"
    expect 200 "" "list by priority" && that "$(jb '[.items[].id] == ["'"$t2"'"]')" "priority=low: just Buy milk"
    api GET "/api/v1/tasks?q=PLANTS" "$ta"
    expect 200 "" "list by text" && that "$(jb '[.items[].id] == ["'"$t3"'"]')" "q=PLANTS: just the plants"

    windowed lock PATCH "/api/v1/tasks/$t1" "$ta" -H "$MP" -H "If-Match: $e1" -d '{"description":"Numbers from finance first"}'
    expect 200 "" "PATCH with the current If-Match (SELECT ... FOR UPDATE)"
    e1b=$(hdr ETag)
    that "$([[ -n $e1b && $e1b != "$e1" && $(jb .description) == "Numbers from finance first" ]] && echo 1)" "PATCH: changed, new ETag" "ETag '$e1' -> '$e1b'"
    api PATCH "/api/v1/tasks/$t1" "$ta" -H "$MP" -H "If-Match: $e1" -d '{"title":"Lost update"}'
    expect 412 PRECONDITION_FAILED "PATCH with a stale If-Match: 412 PRECONDITION_FAILED"
    api PUT "/api/v1/tasks/$t1" "$ta" -H "$J" -H "If-Match: ${e1b:-\"0\"}" -d '{"title":"Write the quarterly report","priority":"medium","completed":false,"tags":["work"]}'
    expect 200 "" "PUT with the current If-Match"
    that "$(jb '.title == "Write the quarterly report" and .description == null and [.tags[].name] == ["work"]')" "PUT: replaced, description cleared, one tag"
    api PATCH "/api/v1/tasks/$t2/complete" "$ta"
    expect 200 "" "toggle: complete" && that "$(jb '.completed == true and .completed_at != null')" "toggle: completed, completed_at set"
    api PATCH "/api/v1/tasks/$t2/complete" "$ta"
    expect 200 "" "toggle: reopen" && that "$(jb '.completed == false and .completed_at == null')" "toggle: pending again"

    api PATCH "/api/v1/tasks/$t3/complete" "$ta"
    expect 200 "" "complete the recurring task"
    n1=$(jb '.next_occurrence.id // ""')
    that "$(jb '.next_occurrence.due_date == "2030-01-02T09:00:00Z" and .next_occurrence.completed == false')" \
        "recurrence: the next occurrence is due a day later" "$(jb -c '.next_occurrence // "none"' | cut -c1-160)"
    if [[ -n $n1 ]]; then
        api GET "/api/v1/tasks/$n1" "$ta"
        expect 200 "" "recurrence: the next occurrence is a task of its own"
    else
        fail "recurrence: the next occurrence is a task of its own (no next_occurrence)"
    fi
    api PATCH "/api/v1/tasks/$t3/complete" "$ta"
    expect 200 "" "reopen the recurring task"
    api PATCH "/api/v1/tasks/$t3/complete" "$ta"
    expect 200 "" "complete the recurring task again"
    api GET "/api/v1/tasks?q=plants" "$ta"
    that "$(jb '.items | length == 2')" "recurrence: still exactly one next occurrence" "$(jb '.items | length') tasks"

    api DELETE "/api/v1/tasks/$t2" "$ta" -H 'If-Match: "999"'
    expect 412 PRECONDITION_FAILED "DELETE with a stale If-Match: 412"
    api DELETE "/api/v1/tasks/$t2" "$ta"
    expect 204 "" "DELETE a task"
    api GET "/api/v1/tasks/$t2" "$ta"
    expect 404 TASK_NOT_FOUND "the deleted task: 404 TASK_NOT_FOUND"

    log "client: another user's data"
    api GET "/api/v1/tasks/$t1" "$tb"
    expect 404 TASK_NOT_FOUND "B gets A's task: 404"
    api PATCH "/api/v1/tasks/$t1" "$tb" -H "$MP" -d '{"title":"mine now"}'
    expect 404 TASK_NOT_FOUND "B patches A's task: 404"
    api PUT "/api/v1/tasks/$t1" "$tb" -H "$J" -d '{"title":"mine now"}'
    expect 404 TASK_NOT_FOUND "B replaces A's task: 404"
    api PATCH "/api/v1/tasks/$t1/complete" "$tb"
    expect 404 TASK_NOT_FOUND "B toggles A's task: 404"
    api DELETE "/api/v1/tasks/$t1" "$tb"
    expect 404 TASK_NOT_FOUND "B deletes A's task: 404"
    api GET /api/v1/tasks "$tb"
    expect 200 "" "B lists tasks" && that "$(jb '.items | length == 0')" "B's list is empty"
    api GET "/api/v1/tasks/$t1" "$ta"
    expect 200 "" "A's task is still there" && that "$(jb '.title == "Write the quarterly report"')" "A's task unchanged by B"
    api GET "/api/$ua/tasks" "$ta"
    expect 200 "" "compatibility route: A lists A's tasks" && that "$(jb 'length == 3')" "compatibility list: 3 tasks" "$(jb length)"
    api GET "/api/$ub/tasks" "$ta"
    expect 403 USER_MISMATCH "compatibility route: A on B's user id: 403 USER_MISMATCH"

    log "client: tags"
    api GET /api/v1/tags "$ta"
    expect 200 "" "list tags"
    that "$(jb '[.items[] | {name, open_task_count}] == [{"name":"Home","open_task_count":1},{"name":"work","open_task_count":1}]')" \
        "tags: Home and work, one open task each" "$(jb -c '[.items[] | [.name, .open_task_count]]')"
    api POST /api/v1/tags "$ta" -H "$J" -d '{"name":"errands","color":"#3b82f6"}'
    expect 201 "" "create a tag"
    tg=$(jb .id)
    api POST /api/v1/tags "$ta" -H "$J" -d '{"name":"ERRANDS"}'
    expect 409 TAG_ALREADY_EXISTS "the same tag name in another case: 409 TAG_ALREADY_EXISTS"
    api GET "/api/v1/tags/$tg" "$ta"
    expect 200 "" "get a tag"
    api PATCH "/api/v1/tags/$tg" "$ta" -H "$MP" -d '{"color":"#ef4444"}'
    expect 200 "" "recolor a tag" && that "$(jb '.color == "#ef4444"')" "tag: new color"
    api PATCH "/api/v1/tags/$tg" "$ta" -H "$J" -d '{"name":"chores"}'
    expect 200 "" "rename a tag" && that "$(jb '.name == "chores"')" "tag: new name"
    api GET "/api/v1/tags/$tg" "$tb"
    expect 404 TAG_NOT_FOUND "B gets A's tag: 404"
    api PATCH "/api/v1/tasks/$t1" "$ta" -H "$MP" -d '{"tags":["work","chores"]}'
    expect 200 "" "tag a task with the renamed tag (PATCH without If-Match)" && that "$(jb '[.tags[].name] == ["chores","work"]')" "task: both tags"
    api DELETE "/api/v1/tags/$tg" "$ta"
    expect 204 "" "delete a tag"
    api GET "/api/v1/tags/$tg" "$ta"
    expect 404 TAG_NOT_FOUND "the deleted tag: 404"
    api GET "/api/v1/tasks/$t1" "$ta"
    expect 200 "" "the task of the deleted tag" && that "$(jb '[.tags[].name] == ["work"]')" "the deleted tag is gone from its task" "$(jb -c '[.tags[].name]')"

    log "client: lists, subtasks, moves, display order"
    local l1 l2 p1 p2 s1 s2 el
    windowed list-create POST /api/v1/lists "$ta" -H "$J" -d '{"name":"Trip","color":"#22c55e"}'
    expect 201 "" "create a list"
    l1=$(jb .id)
    api POST /api/v1/lists "$ta" -H "$J" -d '{"name":"Later"}'
    expect 201 "" "create a second list"
    l2=$(jb .id) el=$(hdr etag)
    api POST /api/v1/tasks "$ta" -H "$J" -d "$(jq -nc --arg l "$l1" '{title:"Plan the route",list_id:$l}')"
    expect 201 "" "a task in the list"
    p1=$(jb .id)
    api POST /api/v1/tasks "$ta" -H "$J" -d "$(jq -nc --arg l "$l1" '{title:"Pack",list_id:$l,position:"bottom"}')"
    expect 201 "" "a second task, last in the list"
    p2=$(jb .id)
    windowed subtask-create POST /api/v1/tasks "$ta" -H "$J" -d "$(jq -nc --arg p "$p1" '{title:"Book the train",parent_id:$p}')"
    expect 201 "" "a subtask" && that "$(jb '.list_id == "'"$l1"'"')" "the subtask is in its parent's list"
    s1=$(jb .id)
    api POST /api/v1/tasks "$ta" -H "$J" -d "$(jq -nc --arg p "$s1" '{title:"Compare fares",parent_id:$p}')"
    expect 201 "" "a sub-subtask"
    s2=$(jb .id)
    windowed move POST "/api/v1/tasks/$p2/move" "$ta" -H "$J" -d "$(jq -nc --arg b "$p1" '{before_id:$b}')"
    expect 200 "" "move a task before its sibling"
    windowed display GET "/api/v1/lists/$l1/tasks?limit=2" "$ta"
    expect 200 "" "read the list in display order (first page)"
    that "$(jb -c '[.items[] | [.depth, .task.title]]' | grep -qx '\[\[0,"Pack"\],\[0,"Plan the route"\]\]' && echo 1)" \
        "display order: Pack, then Plan the route" "$(jb -c '[.items[] | [.depth, .task.title]]')"
    windowed display-next GET "/api/v1/lists/$l1/tasks?limit=2&cursor=$(jb .next_cursor)" "$ta"
    expect 200 "" "the next page by cursor"
    that "$(jb -c '[.items[] | [.depth, .task.title]]' | grep -qx '\[\[1,"Book the train"\],\[2,"Compare fares"\]\]' && echo 1)" \
        "display order: the subtree under its parent, one level deeper each" "$(jb -c '[.items[] | [.depth, .task.title]]')"
    api PATCH "/api/v1/tasks/$s1/complete" "$ta"
    expect 200 "" "complete a subtask (and its subtask)"
    windowed display-pending GET "/api/v1/lists/$l1/tasks?status=pending" "$ta"
    expect 200 "" "the pending view"
    that "$(jb -c '[.items[] | .task.title]' | grep -qx '\["Pack","Plan the route"\]' && echo 1)" \
        "pending view: the completed subtree is left out" "$(jb -c '[.items[] | .task.title]')"
    windowed move-list POST "/api/v1/tasks/$p1/move" "$ta" -H "$J" -d "$(jq -nc --arg l "$l2" '{list_id:$l}')"
    expect 200 "" "move a task with its subtree to another list"
    api GET "/api/v1/tasks/$s2" "$ta"
    expect 200 "" "the moved subtree's deepest task" && that "$(jb '.list_id == "'"$l2"'"')" "the subtree moved with its root"
    api GET "/api/v1/lists/$l1/tasks" "$tb"
    expect 404 LIST_NOT_FOUND "B reads A's list: 404"
    windowed list-delete DELETE "/api/v1/lists/$l2?move_tasks_to=$l1" "$ta" -H "If-Match: $el"
    expect 204 "" "delete a list, moving its tasks to another"
    api GET "/api/v1/lists/$l1/tasks" "$ta"
    expect 200 "" "the list that took them" && that "$(jb '[.items[] | .task.title] == ["Pack","Plan the route","Book the train","Compare fares"]')" \
        "the moved tree after the list's own tasks, in order" "$(jb -c '[.items[] | .task.title]')"

    log "client: sync"
    local tok pages=0 seen=0
    windowed sync-full GET "/api/v1/sync?limit=5" "$ta"
    expect 200 "" "a full sync, first page"
    while :; do
        seen=$((seen + $(jb '.changes | length'))) tok=$(jb .sync_token) pages=$((pages + 1))
        [[ $(jb .has_more) == true && $pages -lt 50 ]] || break
        api GET "/api/v1/sync?limit=5&token=$tok" "$ta"
        [[ $R_STATUS == 200 ]] || break
    done
    expect 200 "" "the full sync to its last page ($pages pages, $seen changes)"
    api POST /api/v1/tasks "$ta" -H "$J" -d '{"title":"Synced then deleted"}'
    expect 201 "" "a task after the full sync"
    local sd
    sd=$(jb .id)
    api DELETE "/api/v1/tasks/$sd" "$ta"
    expect 204 "" "delete it"
    windowed sync-incremental GET "/api/v1/sync?token=$tok" "$ta"
    expect 200 "" "an incremental sync"
    that "$(jb '[.changes[] | select(.op == "delete" and .type == "task" and .id == "'"$sd"'")] | length == 1')" \
        "incremental sync: the deleted task's tombstone" "$(jb -c '[.changes[] | [.op, .type]]')"
    api GET "/api/v1/sync?token=$tok" "$tb"
    expect 200 "" "B syncs with A's token" && that "$(jb '[.changes[] | select(.id == "'"$sd"'")] | length == 0')" "B's feed holds nothing of A's"

    log "client: trash"
    windowed trash-list GET "/api/v1/trash?limit=10" "$ta"
    expect 200 "" "the trash" && that "$(jb '[.items[] | select(.type == "list" and .id == "'"$l2"'")] | length == 1')" \
        "trash: the deleted list is there"
    windowed trash-restore POST "/api/v1/trash/list/$l2/restore" "$ta"
    expect 200 "" "restore the deleted list" && that "$(jb '.list.id == "'"$l2"'"')" "restored: the same id"
    api POST "/api/v1/trash/list/$l2/restore" "$tb"
    expect 404 TRASH_ITEM_NOT_FOUND "B restores from A's trash: 404"

    log "client: offline batch"
    body='{"commands":[{"id":"b1-'"$RUN_ID"'","type":"list.create","temp_id":"l","args":{"name":"Offline"}},{"id":"b2-'"$RUN_ID"'","type":"task.create","temp_id":"t","args":{"title":"Queued","list_id":"l"}},{"id":"b3-'"$RUN_ID"'","type":"task.complete","resource_id":"t","args":{}}]}'
    windowed batch POST /api/v1/batch "$ta" -H "$J" -d "$body"
    expect 200 "" "a batch of three commands with temp ids"
    that "$(jb '[.results[].status] == [201,201,200]')" "batch: each command applied" "$(jb -c '[.results[].status]')"
    api POST /api/v1/batch "$ta" -H "$J" -d "$body"
    expect 200 "" "the same batch again"
    that "$(jb '[.results[].replayed] == [true,true,true]')" "batch sent again: replayed, nothing applied twice" "$(jb -c '[.results[].replayed]')"

    log "client: live events"
    windowed stream-ticket POST /api/v1/events/tickets "$ta"
    expect 201 "" "a stream ticket (one row of stream_tickets, by its hash)"
    local ticket events stream live waited
    ticket=$(jb .ticket)
    events="$WORK/events-$RUN_ID.txt"
    curl -sN --max-time 30 -H 'Accept: text/event-stream' "$(url A "/api/v1/events?ticket=$ticket")" >"$events" 2>/dev/null &
    stream=$!
    for waited in $(seq 1 100); do grep -q ':connected' "$events" 2>/dev/null && break; sleep 0.1; done
    that "$(grep -c ':connected' "$events" 2>/dev/null)" "the event stream opens with the ticket"
    windowed stream-write POST /api/v1/tasks "$ta" -H "$J" -d '{"title":"Live"}'
    expect 201 "" "a task while the stream is open (NOTIFY in its transaction, on the coordinator)"
    live=$(jb .id)
    for waited in $(seq 1 100); do grep -q "$live" "$events" 2>/dev/null && break; sleep 0.1; done
    that "$(grep -c "$live" "$events" 2>/dev/null)" "the stream named the new task (LISTEN on the coordinator)"
    kill "$stream" 2>/dev/null
    wait "$stream" 2>/dev/null
    api GET "/api/v1/events?ticket=$ticket" "" -H 'Accept: text/event-stream' --max-time 5
    expect 401 INVALID_TICKET "the used ticket opens nothing"

    log "client: webhooks"
    local hook_port hooks receiver hooked
    alloc_port hook_port 18950
    hooks="$WORK/webhooks-$RUN_ID.txt"
    : >"$hooks"
    python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as f:
            f.write(self.headers.get("webhook-id", "").encode() + b" " + body + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
' "$hook_port" "$hooks" &
    receiver=$!
    windowed webhook-create POST /api/v1/webhooks "$ta" -H "$J" -d '{"url":"http://127.0.0.1:'"$hook_port"'/hook","event_types":["task.upserted"]}'
    expect 201 "" "a webhook endpoint (its secret shown once)"
    windowed webhook-write POST /api/v1/tasks "$ta" -H "$J" -d '{"title":"Hooked"}'
    expect 201 "" "a write with an endpoint registered (its delivery scheduled in the write's transaction)"
    hooked=$(jb .id)
    for waited in $(seq 1 200); do grep -q "$hooked" "$hooks" 2>/dev/null && break; sleep 0.1; done
    that "$(grep -c "$hooked" "$hooks" 2>/dev/null)" \
        "the worker delivered the write's event (feed read, message, attempt and scheduled_tasks on Citus)"
    kill "$receiver" 2>/dev/null
    wait "$receiver" 2>/dev/null

    log "client: sessions"
    windowed refresh POST /api/v1/auth/refresh "" -H "$J" -d "$(jq -nc --arg r "$ra" '{refresh_token:$r}')"
    expect 200 "" "refresh (SELECT ... FOR UPDATE of the token)"
    r2=$(jb '.refresh_token // ""')
    that "$([[ -n $r2 && $r2 != "$ra" ]] && echo 1)" "refresh: the token is rotated"
    api POST /api/v1/auth/refresh "" -H "$J" -d "$(jq -nc --arg r "$r2" '{refresh_token:$r}')"
    expect 200 "" "refresh with the rotated token"
    r3=$(jb '.refresh_token // ""')
    api POST /api/v1/auth/refresh "" -H "$J" -d "$(jq -nc --arg r "$ra" '{refresh_token:$r}')"
    expect 401 REFRESH_TOKEN_REUSED "the first token again: 401 REFRESH_TOKEN_REUSED"
    api POST /api/v1/auth/refresh "" -H "$J" -d "$(jq -nc --arg r "${r3:-x}" '{refresh_token:$r}')"
    expect 401 "" "after the reuse the newest token of the session is revoked too: 401"
    api POST /api/v1/auth/login "" -H "$J" -d "$(jq -nc --arg e "$ea" --arg p "$pw" '{email:$e,password:$p}')"
    expect 200 "" "login A for a new session"
    rl=$(jb '.refresh_token // "x"')
    api POST /api/v1/auth/logout "" -H "$J" -d "$(jq -nc --arg r "$rl" '{refresh_token:$r}')"
    expect 204 "" "logout"
    api POST /api/v1/auth/refresh "" -H "$J" -d "$(jq -nc --arg r "$rl" '{refresh_token:$r}')"
    expect 401 "" "refresh after logout: 401"
    # A token as servers issued it before tokens named their user (256 random bits, base64url), stored the way they
    # stored it (its SHA-256): such a token must keep working until it expires.
    local legacy
    legacy=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    csql "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
          VALUES ('$ua', gen_random_uuid(), sha256(convert_to('$legacy', 'UTF8')), now() + interval '1 day')" >/dev/null \
        || fail "inserting a refresh token of the old format failed"
    FANOUT_OK[refresh-old]="a token that names no user is looked up by hash across shards, without a lock"
    windowed refresh-old POST /api/v1/auth/refresh "" -H "$J" -d "$(jq -nc --arg r "$legacy" '{refresh_token:$r}')"
    expect 200 "" "refresh with a token of the old format (no user in it, stored by hash)"
    api POST /api/v1/auth/refresh "" -H "$J" -d "$(jq -nc --arg r "$legacy" '{refresh_token:$r}')"
    expect 401 REFRESH_TOKEN_REUSED "the old-format token again after its rotation: 401 REFRESH_TOKEN_REUSED"
    api POST /api/v1/auth/me/password "$ta" -H "$J" -d "$(jq -nc --arg p "$pw" '{current_password:$p,new_password:"citus drill password 2"}')"
    expect 204 "" "change the password"
    api POST /api/v1/auth/login "" -H "$J" -d "$(jq -nc --arg e "$ea" '{email:$e,password:"citus drill password 2"}')"
    expect 200 "" "login with the new password"
    api POST /api/v1/auth/login "" -H "$J" -d "$(jq -nc --arg e "$ea" --arg p "$pw" '{email:$e,password:$p}')"
    expect 401 INVALID_CREDENTIALS "login with the old password: 401"

    log "client: account deletion"
    api POST /api/v1/tasks "$tb" -H "$J" -H "Idempotency-Key: kb-$RUN_ID" -d '{"title":"B task","tags":["b-tag"]}'
    expect 201 "" "B creates a tagged task"
    windowed delete-account DELETE /api/v1/auth/me "$tb"
    expect 204 "" "B deletes the account"
    api POST /api/v1/auth/login "" -H "$J" -d "$(jq -nc --arg e "$eb" --arg p "$pw" '{email:$e,password:$p}')"
    expect 401 INVALID_CREDENTIALS "login as the deleted B: 401"
    api POST /api/v1/auth/refresh "" -H "$J" -d "$(jq -nc --arg r "$rb" '{refresh_token:$r}')"
    expect 401 "" "refresh with the deleted B's token: 401"
    local left
    left=$(csql "SELECT (SELECT count(*) FROM users WHERE id = '$ub') + (SELECT count(*) FROM tasks WHERE user_id = '$ub')
        + (SELECT count(*) FROM tags WHERE user_id = '$ub') + (SELECT count(*) FROM task_tags WHERE user_id = '$ub')
        + (SELECT count(*) FROM refresh_tokens WHERE user_id = '$ub') + (SELECT count(*) FROM idempotency_keys WHERE user_id = '$ub')" 2>&1)
    check_eq "$left" 0 "no row of B is left in any tenant table"
    if [[ $(csql "SELECT to_regclass('public.user_emails') IS NOT NULL") == t ]]; then
        check_eq "$(csql "SELECT count(*) FROM user_emails WHERE user_id = '$ub'" 2>&1)" 0 "no user_emails row of B is left"
    fi
    api POST /api/v1/auth/register "" -H "$J" -d "$(jq -nc --arg e "$eb" --arg p "$pw" '{email:$e,password:$p}')"
    expect 201 "" "B's email can register again"
    api GET /api/v1/auth/me "$ta"
    expect 200 "" "A is unaffected"

    USER_A=$ua EMAIL_A=$ea PASSWORD_A="citus drill password 2"
}

# ---------------------------------------------------------------- plans

# The statements the server ran in window NAME (between its marks in the coordinator's log), each once, with its
# logged parameters substituted as literals: one JSON object {sql, failed} a line. A statement that failed before
# it ran (Citus refuses to plan it at Bind) is logged only with its ERROR, its parameters in the error's context.
# Shard-level statements of Citus's local execution (reference table placements on the coordinator) are left out.
read -r -d '' WINDOW_JQ <<'EOF'
def subst($params): . as $sql
    | [$params | scan("\\$([0-9]+) = ('(?:[^']|'')*'|NULL)")]
    | reduce (sort_by(.[0] | tonumber) | reverse | .[]) as $p ($sql; gsub("\\$" + $p[0] + "(?![0-9])"; $p[1]));
(map(.message) | index("statement: SELECT 'citus-drill:begin:" + $name + "'")) as $b
| (map(.message) | index("statement: SELECT 'citus-drill:end:" + $name + "'")) as $e
| [ (if $b == null or $e == null then empty else .[$b:$e][] end)
    | select(.application_name == "todo-api")
    | if .error_severity == "ERROR" and .statement != null then
          {sql: ((.context // "") as $c | .statement | subst($c)), failed: .message}
      else
          (.detail // "") as $d
          | (.message | capture("^(execute [^:]+|statement): (?<sql>.*)$"; "s") | .sql)
          | {sql: subst($d), failed: null}
      end
    | select(.sql | test("^\\s*(select|with|insert|update|delete|merge)\\b"; "i"))
    | select(.sql | test("\\b[a-z_]+_[0-9]{6,}\\b") | not) ]
| reduce .[] as $s ([]; if any(.[]; .sql == $s.sql)
                         then map(if .sql == $s.sql and .failed == null then .failed = $s.failed else . end)
                         else . + [$s] end)
| .[] | tojson
EOF
window_statements() { jq -r -s --arg name "$1" "$WINDOW_JQ" "$COORD_LOG"; }

# label SQL: verb, tables, FOR UPDATE.
label() {
    local sql verb tables
    sql=$(sed -E "s/'([^']|'')*'/''/g" <<<"${1,,}")   # no literals: a title could read "from finance"
    verb=$(awk '{print $1}' <<<"$sql")
    tables=$(grep -oE '(from|into|update|join) +("?[a-z_]+"?\.)?"?[a-z_]+' <<<"$sql" | awk '{print $2}' | sed -E 's/.*\.//; s/"//g' |
        grep -vxE 'select|lateral|of' | awk '!seen[$0]++' | paste -sd, -)
    printf '%s %s%s' "$verb" "${tables:-?}" "$([[ $sql == *"for update"* ]] && echo ' FOR UPDATE')"
}

explain_windows() {
    local name stmt sql failed n plan counts lbl all_single summary
    local out=$WORK/plans.txt
    : >"$out"
    for name in "${WINDOWS[@]}"; do
        n=0 all_single=1 summary=""
        while IFS= read -r stmt; do
            sql=$(jq -r .sql <<<"$stmt") failed=$(jq -r '.failed // ""' <<<"$stmt")
            n=$((n + 1))
            lbl=$(label "$sql")
            plan=$(csql "EXPLAIN (COSTS OFF) $sql" 2>&1)
            { echo "==== $name #$n: $lbl${failed:+ (failed in the request: $failed)}"; echo "$sql"; echo "$plan"; echo; } >>"$out"
            if [[ $plan == *ERROR:* ]]; then
                counts="error: $(grep -m1 -oE 'ERROR: +.*' <<<"$plan" | sed -E 's/ERROR: +//' | cut -c1-90)"
                all_single=0
            else
                counts=$(grep -oE 'Task Count: [0-9]+' <<<"$plan" | awk '{print $3}' | paste -sd+ -)
                if [[ -z $counts ]]; then
                    counts="local"
                elif grep -qvx 1 < <(tr + '\n' <<<"$counts"); then
                    all_single=0
                fi
            fi
            summary+="${summary:+; }$lbl: ${counts}"
            printf '%s  plan  %-14s #%d %-44s Task Count %s\n' "$(date -u +%H:%M:%S)" "$name" "$n" "$lbl" "$counts"
        done < <(window_statements "$name")
        if ((n == 0)); then
            fail "plans of ${WINDOW_LABEL[$name]} ($name): no statement of the server found in the coordinator's log"
            continue
        fi
        count_line "plan $name (${WINDOW_LABEL[$name]}): $summary"
        if [[ -n ${FANOUT_OK[$name]:-} ]]; then
            count_line "  (not checked for single-shard plans: ${FANOUT_OK[$name]})"
        elif ((DISTRIBUTE)); then
            that "$all_single" "plans of $name (${WINDOW_LABEL[$name]}): every statement single-shard" "$summary"
        fi
    done
    log "plans with their SQL: $out"
}

# ---------------------------------------------------------------- the run

setup
for node in "${NODES[@]}"; do node_start "$node"; done
PG_PORT=${NODE_PORT[coordinator]}   # lib.sh's psql_db/psql_todo go to the coordinator
COORD_LOG=${NODE_DIR[coordinator]}/log/coordinator.json
csql "SELECT citus_set_coordinator_host('127.0.0.1', ${NODE_PORT[coordinator]})" >/dev/null || die "citus_set_coordinator_host failed"
for node in worker1 worker2; do
    csql "SELECT citus_add_node('127.0.0.1', ${NODE_PORT[$node]})" >/dev/null || die "citus_add_node $node failed"
done
CITUS_VERSION=$(csql "SELECT citus_version()" | awk '{print $2}')
log "Citus $CITUS_VERSION on PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'): coordinator :${NODE_PORT[coordinator]}," \
    "workers :${NODE_PORT[worker1]} :${NODE_PORT[worker2]} ($WORK)"
check_eq "$(csql "SELECT count(*) FROM citus_get_active_worker_nodes()")" 2 "two active workers"

SECRET=$(random_secret)
SERVER_ENV=(DATABASE_URL="postgresql://postgres@127.0.0.1:${NODE_PORT[coordinator]}/todo" JWT_SECRET="$SECRET"
    AUTH_RATE_LIMIT_PER_MINUTE=100000 AUTH_RATE_LIMIT_STORE=postgres COOKIE_SECURE=false
    TODO_WEBHOOKS_ALLOW_HTTP=true TODO_WEBHOOKS_ALLOWED_HOSTS=127.0.0.1/32)
start_server A "${SERVER_ENV[@]}"
wait_ready A
MIGRATED=$(csql "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history WHERE success AND version IS NOT NULL")
check_eq "$(csql "SELECT count(*) FROM flyway_schema_history WHERE NOT success")" 0 "Flyway migrated the coordinator (versions $MIGRATED)"
HAS_V4=$(csql "SELECT to_regclass('public.user_emails') IS NOT NULL")
[[ $HAS_V4 == t ]] || log "no table user_emails: the jar has no migration V4; distribute.sql skips it"
stop_server A TERM 30
log "server stopped after the migrations (exit ${SERVER_EXIT[A]})"

DISTRIBUTION_NOTE="not distributed (--no-distribute)"
if ((DISTRIBUTE)); then
    run_distribute() { "$PSQL" -X -h 127.0.0.1 -p "${NODE_PORT[coordinator]}" -U postgres -d todo -v ON_ERROR_STOP=1 \
        -f "$CITUS_DIR/distribute.sql" >"$WORK/distribute-$1.out" 2>&1; }
    if run_distribute 1; then
        pass "distribute.sql applied"
        DISTRIBUTION_NOTE="distribute.sql as it is"
    else
        err=$(grep -m1 -A1 'ERROR:' "$WORK/distribute-1.out" | sed -E 's/^psql:[^ ]+ //' | paste -sd' ' | cut -c1-300)
        fail "distribute.sql applied ($err)"
        if [[ $(csql "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'users'::regclass") == 0 ]]; then
            blocking=$(csql "SELECT string_agg(indexrelid::regclass::text, ', ') FROM pg_index i
                WHERE indrelid = 'users'::regclass AND indisunique AND NOT indisprimary
                  AND NOT (SELECT attnum FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'id') = ANY (indkey)")
            if [[ $USERS_FALLBACK == drop-index && -n $blocking ]]; then
                log "fallback (--users-fallback drop-index): DROP INDEX $blocking, distribute.sql again;" \
                    "emails are no longer unique across case, expect the duplicate-email checks to fail"
                csql "DROP INDEX $blocking" >/dev/null || die "DROP INDEX $blocking failed"
                DISTRIBUTION_NOTE="distribute.sql failed on users; $blocking dropped, then distribute.sql"
                if run_distribute 2; then
                    pass "distribute.sql applied after dropping $blocking"
                else
                    fail "distribute.sql after dropping $blocking ($(grep -m1 'ERROR:' "$WORK/distribute-2.out" | cut -c1-200))"
                fi
            else
                log "users not distributed, no fallback (--users-fallback $USERS_FALLBACK${blocking:+, blocking: $blocking})"
                finish
            fi
        fi
    fi
    grep -vE '^\s*$' "$(ls "$WORK"/distribute-*.out | tail -1)" | sed 's/^/        /'

    # ---- the layout
    layout=$(csql "SELECT table_name, citus_table_type, distribution_column, colocation_id, shard_count FROM citus_tables" | sort)
    while IFS='|' read -r t ty col co sc; do
        TYPE[$t]=$ty COLUMN[$t]=$col COLOC[$t]=$co SHARDS[$t]=$sc
    done <<<"$layout"
    check_eq "${TYPE[users]:-local}/${COLUMN[users]:-}/${SHARDS[users]:-}" "distributed/id/32" "users: distributed by id, 32 shards"
    for t in tasks tags task_tags refresh_tokens idempotency_keys; do
        check_eq "${TYPE[$t]:-local}/${COLUMN[$t]:-}/$([[ -n ${COLOC[$t]:-} && ${COLOC[$t]} == "${COLOC[users]:-x}" ]] && echo colocated)" \
            "distributed/user_id/colocated" "$t: distributed by user_id, colocated with users"
    done
    check_eq "${TYPE[rate_limit_buckets]:-local}" reference "rate_limit_buckets: reference table"
    if [[ $HAS_V4 == t ]]; then
        check_eq "${TYPE[user_emails]:-local}/${COLUMN[user_emails]:-}/$([[ ${COLOC[user_emails]:-} != "${COLOC[users]:-}" ]] && echo own-group)" \
            "distributed/email_lower/own-group" "user_emails: distributed by email_lower, not colocated with users"
    fi
    check_eq "$(csql "SELECT count(DISTINCT nodeport) FROM citus_shards WHERE table_name = 'tasks'::regclass")" 2 "tasks: shards on both workers"
fi

start_server A "${SERVER_ENV[@]}"
wait_ready A
run_client

if ((DISTRIBUTE)) && [[ ${TYPE[users]:-} == distributed ]]; then
    # ---- one user's rows: one shard index, one worker
    where=$(csql "SELECT count(DISTINCT s.shardminvalue), count(DISTINCT n.nodeport), min(n.nodeport), string_agg(s.logicalrelid::text || '_' || s.shardid, ' ')
        FROM unnest(ARRAY['users','tasks','tags','task_tags','refresh_tokens','idempotency_keys']) AS t(name)
        CROSS JOIN LATERAL (SELECT get_shard_id_for_distribution_column(t.name::regclass, '$USER_A') AS shardid) g
        JOIN pg_dist_shard s ON s.shardid = g.shardid JOIN pg_dist_placement p ON p.shardid = g.shardid
        JOIN pg_dist_node n ON n.groupid = p.groupid")
    IFS='|' read -r n_ranges n_nodes a_port a_shards <<<"$where"
    check_eq "$n_ranges/$n_nodes" "1/1" "all of A's rows are in one shard group on one worker (:$a_port: $a_shards)"
    a_task_shard=$(grep -oE 'tasks_[0-9]+' <<<"$a_shards")
    for node in worker1 worker2; do [[ ${NODE_PORT[$node]} == "$a_port" ]] && a_node=$node; done
    on_worker=$(nsql "${a_node:-worker1}" todo "SELECT count(*) FROM $a_task_shard WHERE user_id = '$USER_A'" 2>&1)
    check_eq "$on_worker" "$(csql "SELECT count(*) FROM tasks WHERE user_id = '$USER_A'")" "A's tasks, read on that worker's shard $a_task_shard directly, are all of A's tasks"
    check_ge "$(csql "SELECT count(*) FROM rate_limit_buckets")" 1 "rate_limit_buckets (reference table) holds the buckets of the auth rate limits"

    # ---- DDL of a later migration (one transaction, as Flyway runs it) reaches every shard
    log "DDL as a migration would run it: ALTER TABLE tasks ADD COLUMN + CREATE INDEX in one transaction"
    # (statement by statement, as JDBC sends them: one query string of several commands is refused for CREATE INDEX,
    # "cannot insert multiple commands into a prepared statement")
    if printf '%s\n' "ALTER TABLE tasks ADD COLUMN citus_drill_probe text;" \
        "CREATE INDEX tasks_citus_drill_probe_idx ON tasks (user_id, citus_drill_probe);" |
        "$PSQL" -X -q -h 127.0.0.1 -p "${NODE_PORT[coordinator]}" -U postgres -d todo -v ON_ERROR_STOP=1 -1 -f - >/dev/null 2>"$WORK/ddl.err"; then
        cols=0 idx=0
        for node in worker1 worker2; do
            c=$(nsql "$node" todo "SET citus.show_shards_for_app_name_prefixes = '*'; SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                WHERE c.relkind = 'r' AND c.relname ~ '^tasks_[0-9]+$' AND a.attname = 'citus_drill_probe' AND NOT a.attisdropped")
            i=$(nsql "$node" todo "SET citus.show_shards_for_app_name_prefixes = '*'; SELECT count(*) FROM pg_class WHERE relkind = 'i' AND relname ~ '^tasks_citus_drill_probe_idx_[0-9]+$'")
            cols=$((cols + ${c:-0})) idx=$((idx + ${i:-0}))
        done
        check_eq "$cols/$idx" "${SHARDS[tasks]}/${SHARDS[tasks]}" "ADD COLUMN and CREATE INDEX on the coordinator reached every shard of tasks (column/index on shards)"
        api POST /api/v1/auth/login "" -H "$J" -d "$(jq -nc --arg e "$EMAIL_A" --arg p "$PASSWORD_A" '{email:$e,password:$p}')"
        api GET "/api/v1/tasks?limit=5" "$(jb .access_token)"
        expect 200 "" "the server still serves after the DDL (login, list)"
        csql "ALTER TABLE tasks DROP COLUMN citus_drill_probe" >/dev/null || fail "dropping the probe column failed"
    else
        fail "ALTER TABLE / CREATE INDEX on distributed tasks ($(head -2 "$WORK/ddl.err" | paste -sd' '))"
    fi
fi

# ---- the plans of the request windows, and what went wrong on the coordinator
mark "end-of-run"
for _ in $(seq 50); do grep -q 'citus-drill:end-of-run' "$COORD_LOG" 2>/dev/null && break; sleep 0.1; done
echo
log "EXPLAIN on the coordinator of the statements the server ran ($DISTRIBUTION_NOTE)"
explain_windows

ERRORS=$(jq -r 'select(.error_severity == "ERROR" and .application_name == "todo-api") | .message' "$COORD_LOG" | sort | uniq -c | sort -rn)
if [[ -n $ERRORS ]]; then
    while read -r cnt msg; do count_line "coordinator ERROR x$cnt (todo-api): ${msg:0:160}"; done <<<"$ERRORS"
else
    count_line "coordinator: no ERROR in statements of the server"
fi
count_line "Citus $CITUS_VERSION, coordinator + 2 workers; $DISTRIBUTION_NOTE; Flyway versions $MIGRATED; jar $JAR"
finish
