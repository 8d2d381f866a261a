#!/usr/bin/env bash
# Todo API benchmark: one command from a server jar to bench/results/<date>.md and .png.
#
# Starts a private PostgreSQL cluster (bench/work/pg) and the server jar against it, seeds users x tasks
# with bulk SQL, mints access tokens, runs pgbench (the database's own ceiling for the same SQL) and wrk
# (every API scenario at each concurrency), checks that no create was lost or duplicated, and writes the
# report and the chart. Stops the server and the cluster on exit, Ctrl-C included.
#
# Usage: bench/run.sh [--quick] [--jar PATH] [options]   (bench/run.sh --help lists them)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
WORK=$BENCH_DIR/work
LUA_DIR=$BENCH_DIR/lua
SQL_DIR=$BENCH_DIR/sql
RESULTS_DIR=$BENCH_DIR/results

ALL_SCENARIOS="live get list keyset list1000 filter create toggle put delete_create me mix display move sync_full sync_incremental"
ALL_PGBENCH="by_id first_page keyset list_1000 filtered insert display move sync_page"

# Defaults of the full run; --quick changes them before the other options apply.
QUICK=0
JAR=$REPO_DIR/server/target/todo-api-server.jar
WARMUP=10
DURATION=30
CONCURRENCY="1 8 32 128"
SCENARIOS=$ALL_SCENARIOS
PGBENCH_SCRIPTS=$ALL_PGBENCH
OPEN_CONNECTIONS=1000
USERS=100
TASKS_PER_USER=10000
PROJECTS=300
SERVER_PORT=18080
PG_PORT=55432
WRK_THREADS=$(nproc)
WRK_TIMEOUT=10
IDS_PER_USER=200
CURSORS_PER_USER=20
SYNC_USERS=20
SYNC_FULL_LIMIT=1000
SYNC_CHANGES=100
SYNC_INCREMENTAL_LIMIT=1000
SERVER_ENV=()
AOT=1
HOLD=0
PROFILE_DIR=
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS-@$REPO_DIR/server/jvm.options}

usage() {
    cat <<'EOF'
Usage: bench/run.sh [--quick] [--jar PATH] [options]

  --quick                  smoke test: 2 s warm-up, 5 s per point, concurrency "1 32", 1,000 tasks per user
  --jar PATH               server jar (default: server/target/todo-api-server.jar)
  --warmup S               warm-up seconds before each point (default 10; quick 2)
  --duration S             measured seconds per point (default 30; quick 5)
  --concurrency "1 8 ..."  connections per point (default "1 8 32 128"; quick "1 32")
  --scenarios "a b ..."    API scenarios (default: all): live get list keyset list1000 filter create
                           toggle put delete_create me mix display move sync_full sync_incremental
  --pgbench "a b ..."      pgbench scripts (default: all): by_id first_page keyset list_1000 filtered insert
                           display move sync_page
  --no-pgbench             skip the database ceiling
  --open-connections N     the extra run holding N open connections (GET by id; default 1000; 0 skips it)
  --users N                users to seed (default 100)
  --tasks-per-user N       tasks per user (default 10000; quick 1000)
  --sync-users N           users whose sync the sync scenarios use (default 20): before sync_full, run.sh walks
                           each one's full sync (pages of 1,000) with curl and records the page tokens; before
                           sync_incremental, it takes each one's token at the end of a full sync, then makes
                           100 changes (title PATCHes of 100 tasks) through the API
  --projects N             top-level tasks of each user's "Projects" list, which has subtasks (display, move;
                           default 300, making 1,200 tasks with the subtasks; at least 25)
  --port N                 server port (default 18080, or the next free one)
  --pg-port N              PostgreSQL port (default 55432, or the next free one)
  --wrk-threads N          wrk threads at most (default: nproc)
  --no-aot                 start the jar as it is, without building a JDK AOT cache first (ops/aot-cache.sh)
  --results-dir DIR        where the report goes (default bench/results; tuning experiments use bench/results/tuning)
  --server-env KEY=VALUE   an extra environment variable for the server (repeatable), e.g.
                           LOGGING_LEVEL_ACCESS=warn or DATABASE_POOL_SIZE=20; listed in the report
  --profile DIR            profile the server over each measured point with async-profiler (CPU samples, Java and
                           native frames) and write DIR/<scenario>-c<conns>.html, a flame graph per point (and .collapsed, its stacks); the
                           library comes from ASYNC_PROFILER_LIB or the tools.profiler:async-profiler jar (Maven)
  --hold                   measure nothing: seed, start the server, write bench/work/hold.env (ports, data file)
                           and keep both running until interrupted (EXPLAIN, statement capture by hand)
  -h, --help               this text

Environment: JAVA_HOME (JDK 21+; else java on PATH; the AOT cache needs 25+), PG_BIN (PostgreSQL bin directory;
default: the newest /usr/lib/postgresql/*/bin), BENCH_JAVA_OPTS (JVM options of the server; default
@server/jvm.options, as deployed), DATABASE_POOL_SIZE (passed on).
Needs: wrk, jq, curl, openssl, PostgreSQL server binaries with pgbench; gnuplot for the chart.
EOF
}

log() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

ORIG_ARGS=
for arg in "$@"; do
    [[ $arg == *[[:space:]]* ]] && arg="\"$arg\""
    ORIG_ARGS+="${ORIG_ARGS:+ }$arg"
done
# --quick first, so that explicit options win whatever their order.
for arg in "$@"; do
    if [[ $arg == --quick ]]; then
        QUICK=1 WARMUP=2 DURATION=5 CONCURRENCY="1 32" TASKS_PER_USER=1000
    fi
done
while (($#)); do
    case $1 in
        --quick) ;;
        --jar) JAR=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --concurrency) CONCURRENCY=${2//,/ }; shift ;;
        --scenarios) SCENARIOS=${2//,/ }; shift ;;
        --pgbench) PGBENCH_SCRIPTS=${2//,/ }; shift ;;
        --no-pgbench) PGBENCH_SCRIPTS= ;;
        --open-connections) OPEN_CONNECTIONS=$2; shift ;;
        --users) USERS=$2; shift ;;
        --tasks-per-user) TASKS_PER_USER=$2; shift ;;
        --projects) PROJECTS=$2; shift ;;
        --sync-users) SYNC_USERS=$2; shift ;;
        --port) SERVER_PORT=$2; shift ;;
        --pg-port) PG_PORT=$2; shift ;;
        --wrk-threads) WRK_THREADS=$2; shift ;;
        --results-dir) RESULTS_DIR=$2; shift ;;
        --no-aot) AOT=0 ;;
        --hold) HOLD=1 ;;
        --profile) PROFILE_DIR=$2; shift ;;
        --server-env) [[ $2 == *=* ]] || die "--server-env takes KEY=VALUE"; SERVER_ENV+=("$2"); shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "Unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

for s in $SCENARIOS; do [[ -f $LUA_DIR/$s.lua ]] || die "unknown scenario '$s' (known: $ALL_SCENARIOS)"; done
for s in $PGBENCH_SCRIPTS; do [[ -f $SQL_DIR/pgbench/$s.sql ]] || die "unknown pgbench script '$s' (known: $ALL_PGBENCH)"; done
((TASKS_PER_USER > 100)) || die "--tasks-per-user must be more than 100"
((PROJECTS >= 25)) || die "--projects must be at least 25"
((SYNC_USERS >= 1)) || die "--sync-users must be at least 1"
((SYNC_USERS <= USERS)) || SYNC_USERS=$USERS

# ---------------------------------------------------------------------------------------------- tools
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA=$JAVA_HOME/bin/java; else JAVA=$(command -v java || true); fi
[[ -n $JAVA ]] || die "no java: set JAVA_HOME to a JDK 21+"
JAVA_FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2; exit}')
[[ ${JAVA_FEATURE:-0} =~ ^[0-9]+$ ]] && ((JAVA_FEATURE >= 21)) ||
    die "$JAVA is Java ${JAVA_FEATURE:-?}; the server needs 21+: set JAVA_HOME to a JDK 21+ (before seeding anything)"
if [[ -z ${PG_BIN:-} ]]; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    [[ -n $PG_BIN ]] || PG_BIN=$(pg_config --bindir 2>/dev/null || true)
fi
[[ -x $PG_BIN/pg_ctl && -x $PG_BIN/initdb && -x $PG_BIN/pgbench && -x $PG_BIN/psql ]] ||
    die "no PostgreSQL server binaries (initdb, pg_ctl, pgbench) in '${PG_BIN}': apt-get install postgresql, or set PG_BIN"
for tool in wrk jq curl openssl awk sort; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install -y $tool)"
done
HAVE_GNUPLOT=1
command -v gnuplot >/dev/null || { HAVE_GNUPLOT=0; echo "bench: gnuplot is missing, no chart (apt-get install -y gnuplot-nox)" >&2; }
[[ -f $JAR ]] || die "no server jar at $JAR (build it: ./mvnw -q -DskipTests install, or pass --jar)"
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
if [[ -n $PROFILE_DIR ]]; then
    mkdir -p "$PROFILE_DIR"
    PROFILE_DIR=$(cd "$PROFILE_DIR" && pwd)
    JCMD=$(dirname "$JAVA")/jcmd
    [[ -x $JCMD ]] || die "--profile needs jcmd next to $JAVA"
    AP_LIB=${ASYNC_PROFILER_LIB:-}
    if [[ -z $AP_LIB ]]; then
        AP_VERSION=4.2
        AP_JAR=$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
        [[ -f $AP_JAR ]] || "$REPO_DIR/mvnw" -q -B -ntp -f "$REPO_DIR/pom.xml" dependency:get \
            -Dartifact="tools.profiler:async-profiler:$AP_VERSION" -Dtransitive=false >/dev/null ||
            die "could not fetch tools.profiler:async-profiler:$AP_VERSION (set ASYNC_PROFILER_LIB to libasyncProfiler.so)"
        AP_LIB=${TMPDIR:-/tmp}/bench-async-profiler-$AP_VERSION/linux-x64/libasyncProfiler.so
        [[ -f $AP_LIB ]] || unzip -q -o "$AP_JAR" 'linux-x64/*' -d "$(dirname "$(dirname "$AP_LIB")")"
    fi
    [[ -f $AP_LIB ]] || die "no async-profiler library at $AP_LIB"
fi

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user to own the cluster"
    as_pg() { runuser -u postgres -- "$@"; }
    PG_OWNER=postgres
else
    as_pg() { "$@"; }
    PG_OWNER=$(id -un)
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while ! port_free "$p"; do p=$((p + 1)); done; echo "$p"; }

# ------------------------------------------------------------------------------------- work and cleanup
PGDATA=$WORK/pg
SERVER_PID=
PG_STARTED=0
SIDE_PIDS=()

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

stop_pg() {
    ((PG_STARTED)) || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    PG_STARTED=0
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    for pid in "${SIDE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [[ -n $SERVER_PID || $PG_STARTED == 1 ]]; then
        log "stopping the server and PostgreSQL"
    fi
    stop_server
    stop_pg
    exit "$rc"
}
trap cleanup EXIT
trap 'echo; log "interrupted"; exit 130' INT TERM

# A cluster a killed run left behind is ours: stop it before starting afresh.
if [[ -f $PGDATA/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
fi
rm -rf "$WORK"
mkdir -p "$WORK"/{wrk,pgbench,seen} "$RESULTS_DIR"
RESULTS=$WORK/results.jsonl
: >"$RESULTS"

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if ((OPEN_CONNECTIONS > 0 && $(ulimit -n) < OPEN_CONNECTIONS + 200)); then
    echo "bench: open files limit $(ulimit -n) is too low for $OPEN_CONNECTIONS connections; skipping that run" >&2
    OPEN_CONNECTIONS=0
fi
CLK_TCK=$(getconf CLK_TCK)
RUN_TAG=r$(date -u +%Y%m%d%H%M%S)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)

echo "Todo API benchmark ($([[ $QUICK == 1 ]] && echo quick || echo full)): warm-up ${WARMUP}s, ${DURATION}s per point," \
    "concurrency $CONCURRENCY, $USERS users x $TASKS_PER_USER tasks (+ Projects: $PROJECTS top-level tasks with subtasks)"
echo "  jar $JAR"
echo "  work dir $WORK (logs: server.log, pg/log, wrk/, pgbench/)"
echo "  load average at start: $LOAD_START on $(nproc) CPUs"

# ------------------------------------------------------------------------------------------ PostgreSQL
PG_PORT=$(free_port "$PG_PORT")
SERVER_PORT=$(free_port "$SERVER_PORT")
MANAGEMENT_PORT=$(free_port $((SERVER_PORT + 1000)))
log "initdb ($("$PG_BIN/postgres" --version)) in $PGDATA, port $PG_PORT"
mkdir -p "$PGDATA"
chmod 700 "$PGDATA"
chown "$PG_OWNER" "$PGDATA"
as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 ||
    { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
cat >>"$PGDATA/postgresql.conf" <<EOF

# bench/run.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 300
shared_buffers = '1GB'
effective_cache_size = '4GB'
maintenance_work_mem = '256MB'
logging_collector = off
log_min_duration_statement = -1
EOF
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w -t 60 start >/dev/null || { tail -20 "$PGDATA/log" >&2; die "PostgreSQL did not start"; }
PG_STARTED=1

PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT")
"${PSQL[@]}" -U postgres -d postgres -c "CREATE ROLE todo LOGIN PASSWORD 'todo'" -c "CREATE DATABASE todo OWNER todo" >/dev/null
sql() { "${PSQL[@]}" -U todo -d todo -At "$@"; }
PG_VERSION=$(sql -c "SELECT version()")
PG_SETTINGS=$(sql -F= -c "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN
    ('shared_buffers', 'max_connections', 'fsync', 'synchronous_commit', 'work_mem', 'effective_cache_size') ORDER BY name" |
    paste -sd' ' -)
PG_PM_PID=$(head -1 "$PGDATA/postmaster.pid")

# ----------------------------------------------------------------------------------------------- server
JWT_SECRET=$(openssl rand -hex 32)
DATABASE_URL="postgresql://todo:todo@127.0.0.1:$PG_PORT/todo"
BASE_URL="http://127.0.0.1:$SERVER_PORT"

# Starts the jar and waits for GET /health to answer 200; sets SERVER_PID and READY_MS.
start_server() {
    local server_env=(PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8 TZ=UTC
        PORT="$SERVER_PORT" MANAGEMENT_PORT="$MANAGEMENT_PORT" DATABASE_URL="$DATABASE_URL" JWT_SECRET="$JWT_SECRET"
        AUTH_RATE_LIMIT_PER_MINUTE=1000000 TODO_DATA_DIR="$WORK/server-data")
    [[ -n ${DATABASE_POOL_SIZE:-} ]] && server_env+=(DATABASE_POOL_SIZE="$DATABASE_POOL_SIZE")
    server_env+=("${SERVER_ENV[@]}")
    echo "---- start $(date -u +%FT%TZ)" >>"$WORK/server.log"
    local t0 t1
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    env -i "${server_env[@]}" "$JAVA" ${BENCH_JAVA_OPTS:-} "${LAUNCH[@]}" >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    until curl -fsS -o /dev/null --max-time 1 "$BASE_URL/health" 2>/dev/null; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -30 "$WORK/server.log" >&2
            SERVER_PID=
            die "the server exited during start (log: $WORK/server.log)"
        fi
        if (($(date +%s%N) - t0 > 180 * 1000000000)); then
            tail -30 "$WORK/server.log" >&2
            die "the server was not ready within 180 s"
        fi
        sleep 0.02
    done
    t1=$(date +%s%N)
    READY_MS=$(((t1 - t0) / 1000000))
}

LAUNCH=(-jar "$JAR")
log "starting the server on an empty database (Flyway creates the schema)"
start_server
READY_MS_EMPTY=$READY_MS
log "  ready in ${READY_MS_EMPTY} ms"

# ------------------------------------------------------------------------------------------------- seed
BASE_EPOCH=$(($(date +%s) / 3600 * 3600))
log "seeding $USERS users x $TASKS_PER_USER tasks, and a Projects list of $PROJECTS top-level tasks with subtasks each"
t0=$(date +%s%N)
sql -v users="$USERS" -v tasks="$TASKS_PER_USER" -v base="$BASE_EPOCH" -v projects="$PROJECTS" -f "$SQL_DIR/seed.sql" >"$WORK/seed.log" 2>&1 ||
    { cat "$WORK/seed.log" >&2; die "seeding failed"; }
SEED_MS=$((($(date +%s%N) - t0) / 1000000))
read -r N_TASKS N_TAGS N_TASK_TAGS N_COMPLETED DB_SIZE <<<"$(sql -F' ' -c "SELECT (SELECT count(*) FROM tasks),
    (SELECT count(*) FROM tags), (SELECT count(*) FROM task_tags), (SELECT count(*) FROM tasks WHERE completed),
    replace(pg_size_pretty(pg_database_size(current_database())), ' ', '')")"
log "  $N_TASKS tasks ($N_COMPLETED completed), $N_TAGS tags, $N_TASK_TAGS task tags, database $DB_SIZE, in $((SEED_MS / 1000)).$(printf %03d $((SEED_MS % 1000))) s"

log "restarting the server on the seeded database"
stop_server
start_server
READY_MS_SEEDED=$READY_MS
log "  ready in ${READY_MS_SEEDED} ms"

READY_MS_AOT=null
if ((AOT)); then
    version=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if ((${version%%.*} >= 25)); then
        log "building a JDK AOT cache for the jar (ops/aot-cache.sh) and restarting the server with it"
        stop_server
        JAVA_OPTS=${BENCH_JAVA_OPTS:-} DATABASE_URL=$DATABASE_URL JWT_SECRET=$JWT_SECRET JAVA_HOME=$(dirname "$(dirname "$JAVA")") \
            "$REPO_DIR/ops/aot-cache.sh" --jar "$JAR" --out "$WORK/aot" >"$WORK/aot.log" 2>&1 ||
            { cat "$WORK/aot.log" >&2; die "building the AOT cache failed"; }
        LAUNCH=(-XX:AOTCache="$WORK/aot/todo-api.aot" -jar "$WORK/aot/$(basename "$JAR")")
        start_server
        READY_MS_AOT=$READY_MS
        log "  ready in ${READY_MS_AOT} ms with the AOT cache"
    else
        echo "bench: java $version has no AOT cache (JDK 25+); measuring the plain jar" >&2
    fi
fi

# ------------------------------------------------------------------------------- tokens, ids, cursors
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
TOKEN_TTL=$((24 * 3600))
mint_token() {
    local now header payload signature
    now=$(date +%s)
    header=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64url)
    payload=$(printf '{"sub":"bench-user-%d","email":"bench-user-%d@bench.example","iat":%d,"exp":%d,"iss":"todo-api","aud":"todo-api","jti":"%s","type":"access"}' \
        "$1" "$1" "$now" $((now + TOKEN_TTL)) "$(cat /proc/sys/kernel/random/uuid)" | b64url)
    signature=$(printf '%s' "$header.$payload" | openssl dgst -sha256 -mac HMAC -macopt "key:$JWT_SECRET" -binary | b64url)
    printf '%s.%s.%s' "$header" "$payload" "$signature"
}

log "minting $USERS access tokens; sampling $IDS_PER_USER task ids and $CURSORS_PER_USER cursors per user; the Projects lists' siblings"
DATA=$WORK/data.lua
{
    echo "-- Written by bench/run.sh: access tokens, task ids, keyset cursors, Projects lists (display cursors, siblings)."
    echo "return {"
    echo "tokens = {"
    for ((u = 1; u <= USERS; u++)); do echo "\"$(mint_token "$u")\","; done
    echo "},"
    echo "ids = {"
    sql -v users="$USERS" -v tasks="$TASKS_PER_USER" -v sample="$IDS_PER_USER" <<'EOF'
SELECT '{' || string_agg('"' || t.id || '"', ',' ORDER BY s.k) || '},'
FROM generate_series(1, :users) AS u
CROSS JOIN LATERAL (SELECT k, md5('bench-task-' || u || '-' || (1 + (k * 7919) % :tasks))::uuid AS id
                    FROM generate_series(0, least(:sample, :tasks) - 1) AS k) AS s
JOIN tasks t ON t.user_id = 'bench-user-' || u AND t.id = s.id
GROUP BY u ORDER BY u;
EOF
    echo "},"
    echo "cursors = {"
    # A cursor is what the server puts in next_cursor: base64url of {"s","k","id"} of the last task of a page.
    sql -v users="$USERS" -v tasks="$TASKS_PER_USER" -v sample="$CURSORS_PER_USER" <<'EOF'
SELECT '{' || string_agg('"' || rtrim(translate(replace(encode(convert_to(
           '{"s":"-created_at","k":"' || to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
           || '","id":"' || t.id || '"}', 'UTF8'), 'base64'), E'\n', ''), '+/', '-_'), '=') || '"', ',' ORDER BY s.k) || '},'
FROM generate_series(1, :users) AS u
CROSS JOIN LATERAL (SELECT k, md5('bench-task-' || u || '-' || (1 + (k * 104729) % (:tasks - 50)))::uuid AS id
                    FROM generate_series(0, :sample - 1) AS k) AS s
JOIN tasks t ON t.user_id = 'bench-user-' || u AND t.id = s.id
GROUP BY u ORDER BY u;
EOF
    echo "},"
    echo "lists = {"
    sql -v users="$USERS" <<'EOF'
SELECT '"' || md5('bench-projects-' || u)::uuid || '",' FROM generate_series(1, :users) AS u ORDER BY u;
EOF
    echo "},"
    echo "display_cursors = {"
    # A display-order cursor: base64url of {"s":"display","k":<sort path>,"id"} of the last task of a page; here
    # top-level tasks of the Projects list.
    sql -v users="$USERS" -v projects="$PROJECTS" -v sample="$CURSORS_PER_USER" <<'EOF'
SELECT '{' || string_agg('"' || rtrim(translate(replace(encode(convert_to(
           '{"s":"display","k":"' || t.sort_path || '","id":"' || t.id || '"}', 'UTF8'), 'base64'), E'\n', ''), '+/', '-_'), '=')
           || '"', ',' ORDER BY s.k) || '},'
FROM generate_series(1, :users) AS u
CROSS JOIN LATERAL (SELECT k, md5('bench-projects-' || u || '-' || (1 + (k * 104729) % (:projects - 20)))::uuid AS id
                    FROM generate_series(0, :sample - 1) AS k) AS s
JOIN tasks t ON t.user_id = 'bench-user-' || u AND t.id = s.id
GROUP BY u ORDER BY u;
EOF
    echo "},"
    echo "siblings = {"
    # Per user, the Projects list's tasks grouped by parent (the top level is one group): a move puts a task after
    # or before another of its group, so the groups stay what they are.
    sql -v users="$USERS" <<'EOF'
SELECT '{' || string_agg(g.ids, ',' ORDER BY g.parent_id NULLS FIRST) || '},'
FROM generate_series(1, :users) AS u
CROSS JOIN LATERAL (SELECT t.parent_id, '{' || string_agg('"' || t.id || '"', ',' ORDER BY t.position) || '}' AS ids
                    FROM tasks t
                    WHERE t.user_id = 'bench-user-' || u AND t.list_id = md5('bench-projects-' || u)::uuid
                    GROUP BY t.parent_id) AS g
GROUP BY u ORDER BY u;
EOF
    echo "},"
    echo "}"
} >"$DATA"

# The data must work before anything is measured.
TOKEN1=$(sed -n '4p' "$DATA" | tr -d '",')
check_get() {
    local code
    code=$(curl -s -o "$WORK/check.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN1" "$BASE_URL$1")
    [[ $code == 200 ]] || { cat "$WORK/check.json" >&2; echo >&2; die "GET $1 answered $code, expected 200"; }
}
check_get /api/v1/auth/me
FIRST_ID=$(sed -n '/^ids = {/{n;p}' "$DATA" | cut -d'"' -f2)
check_get "/api/v1/tasks/$FIRST_ID"
FIRST_CURSOR=$(sed -n '/^cursors = {/{n;p}' "$DATA" | cut -d'"' -f2)
check_get "/api/v1/tasks?limit=50&cursor=$FIRST_CURSOR"
[[ $(jq '.items | length' "$WORK/check.json") == 50 ]] || die "a keyset page from a built cursor did not have 50 tasks"
check_get "/api/v1/tasks?limit=1000"
FIRST_LIST=$(sed -n '/^lists = {/{n;p}' "$DATA" | cut -d'"' -f2)
check_get "/api/v1/lists/$FIRST_LIST/tasks?limit=50"
[[ $(jq '[.items[] | select(.depth > 0)] | length' "$WORK/check.json") -gt 0 ]] || die "the first page of a Projects list has no subtasks"
FIRST_DISPLAY_CURSOR=$(sed -n '/^display_cursors = {/{n;p}' "$DATA" | cut -d'"' -f2)
check_get "/api/v1/lists/$FIRST_LIST/tasks?limit=50&cursor=$FIRST_DISPLAY_CURSOR"
[[ $(jq '.items | length' "$WORK/check.json") == 50 ]] || die "a display page from a built cursor did not have 50 tasks"
check_get "/api/v1/sync?limit=20"
[[ $(jq '.changes | length' "$WORK/check.json") == 20 && $(jq .has_more "$WORK/check.json") == true ]] ||
    die "the first page of a full sync did not have 20 changes and more"

# ------------------------------------------------------------------------------------------------ sync
# The sync scenarios' data (bench/lua/sync_*.lua read it from BENCH_SYNC_DATA), made right before each runs: the
# writes of the scenarios before it would otherwise change what it reads.
user_token() { sed -n "$((3 + $1))p" "$DATA" | tr -d '",'; }
sync_users() { local k; for ((k = 0; k < SYNC_USERS; k++)); do echo $((1 + k * USERS / SYNC_USERS)); done; }
# Walks user $1's sync with pages of $2 from token $3 ("" = a full sync) to its end; sets SYNC_WALK_TOKENS (the
# token each page was asked with, "" for none), SYNC_WALK_ENTRIES, SYNC_WALK_FINAL (the last page's sync_token) and
# SYNC_WALK_S (curl's total time, sequential, one connection each).
sync_walk() {
    local u=$1 limit=$2 token=${3:-} auth out code t n more next
    auth="Authorization: Bearer $(user_token "$u")"
    out=$WORK/sync-page.json
    SYNC_WALK_TOKENS=() SYNC_WALK_ENTRIES=0 SYNC_WALK_S=0
    while :; do
        read -r code t <<<"$(curl -s -o "$out" -w '%{http_code} %{time_total}' -H "$auth" \
            "$BASE_URL/api/v1/sync?limit=$limit${token:+&token=$token}")"
        [[ $code == 200 ]] || { cat "$out" >&2; echo >&2; die "GET /api/v1/sync (user $u) answered $code"; }
        read -r n more next <<<"$(jq -r '"\(.changes | length) \(.has_more) \(.sync_token)"' "$out")"
        SYNC_WALK_TOKENS+=("$token")
        SYNC_WALK_ENTRIES=$((SYNC_WALK_ENTRIES + n))
        SYNC_WALK_S=$(awk -v a="$SYNC_WALK_S" -v b="$t" 'BEGIN {print a + b}')
        token=$next
        [[ $more == true ]] || break
        ((${#SYNC_WALK_TOKENS[@]} < 10000)) || die "the sync of user $u did not end"
    done
    SYNC_WALK_FINAL=$next
}
declare -A SYNC_LAST_PAGE=()

prepare_sync_full() {
    local u pages=0 entries=0 seconds=0 tok
    SYNC_DATA=$WORK/sync_full.lua
    log "sync_full: walking the full sync of $SYNC_USERS users (pages of $SYNC_FULL_LIMIT) to record their page tokens"
    {
        echo "-- Written by bench/run.sh: per sampled user, the token of every page of a full sync (\"\": the first)."
        echo "return {"
        echo "sync_limit = $SYNC_FULL_LIMIT,"
        echo "sync_users = { $(sync_users | paste -sd, -) },"
        echo "sync_pages = {"
        for u in $(sync_users); do
            sync_walk "$u" "$SYNC_FULL_LIMIT"
            SYNC_LAST_PAGE[$u]=${SYNC_WALK_TOKENS[-1]}
            pages=$((pages + ${#SYNC_WALK_TOKENS[@]})) entries=$((entries + SYNC_WALK_ENTRIES))
            seconds=$(awk -v a="$seconds" -v b="$SYNC_WALK_S" 'BEGIN {print a + b}')
            printf '{'; for tok in "${SYNC_WALK_TOKENS[@]}"; do printf '"%s",' "$tok"; done; echo '},'
        done
        echo "},"
        echo "}"
    } >"$SYNC_DATA"
    jq -nc --argjson users "$SYNC_USERS" --argjson pages "$pages" --argjson entries "$entries" --argjson s "$seconds" \
        --argjson limit "$SYNC_FULL_LIMIT" \
        '{kind: "sync_prep", scenario: "sync_full", users: $users, limit: $limit, pages_per_user: ($pages / $users),
          entries_per_user: ($entries / $users), curl_walk_s_per_user: ($s / $users)}' >>"$RESULTS"
    jq -r '"  \(.pages_per_user) pages and \(.entries_per_user) changes per full sync; walked with curl (one request at a time) in \(.curl_walk_s_per_user * 1000 | round) ms per user"' <<<"$(tail -1 "$RESULTS")"
}

prepare_sync_incremental() {
    local u n cfg codes code final entries=0 more ids id
    SYNC_DATA=$WORK/sync_incremental.lua
    log "sync_incremental: for $SYNC_USERS users, the token at the end of a full sync, then $SYNC_CHANGES changes each through the API"
    local tokens=()
    for u in $(sync_users); do
        # From the last page of the full sync sync_full walked (if it ran), else from the start.
        sync_walk "$u" "$SYNC_FULL_LIMIT" "${SYNC_LAST_PAGE[$u]:-}"
        final=$SYNC_WALK_FINAL
        cfg=$WORK/sync-patch-$u.curl
        # Seeded tasks only (their seeded titles): renaming a task the create scenario made would make the write
        # check count it as lost.
        ids=$(sql -c "SELECT id FROM tasks WHERE user_id = 'bench-user-$u' AND list_id = md5('bench-inbox-$u')::uuid
                        AND title LIKE 'Task % of bench user %'
                      ORDER BY md5(id::text || '$RUN_TAG') LIMIT $SYNC_CHANGES")
        : >"$cfg"
        n=0
        for id in $ids; do
            n=$((n + 1))
            ((n > 1)) && echo "next" >>"$cfg"
            cat >>"$cfg" <<CFG
url = "$BASE_URL/api/v1/tasks/$id"
request = "PATCH"
header = "Authorization: Bearer $(user_token "$u")"
header = "Content-Type: application/merge-patch+json"
data = "{\\"title\\":\\"bench-sync $RUN_TAG change $n\\"}"
output = "/dev/null"
write-out = "%{http_code}\\n"
CFG
        done
        ((n == SYNC_CHANGES)) || die "user $u has fewer than $SYNC_CHANGES Inbox tasks"
        codes=$(curl -s -K "$cfg" | sort | uniq -c | paste -sd' ' -)
        [[ $codes =~ ^\ *$SYNC_CHANGES\ 200$ ]] || die "the $SYNC_CHANGES PATCHes of user $u answered: $codes"
        code=$(curl -s -o "$WORK/sync-page.json" -w '%{http_code}' -H "Authorization: Bearer $(user_token "$u")" \
            "$BASE_URL/api/v1/sync?limit=$SYNC_INCREMENTAL_LIMIT&token=$final")
        [[ $code == 200 ]] || { cat "$WORK/sync-page.json" >&2; die "the incremental sync of user $u answered $code"; }
        more=$(jq .has_more "$WORK/sync-page.json")
        [[ $more == false ]] || die "the incremental sync of user $u does not fit one page of $SYNC_INCREMENTAL_LIMIT"
        [[ $(jq '[.changes[] | select(.type == "task")] | length' "$WORK/sync-page.json") == "$SYNC_CHANGES" ]] ||
            die "the incremental sync of user $u does not have the $SYNC_CHANGES changed tasks"
        entries=$((entries + $(jq '.changes | length' "$WORK/sync-page.json")))
        tokens+=("$final")
    done
    {
        echo "-- Written by bench/run.sh: per sampled user, the sync_token from before $SYNC_CHANGES changes."
        echo "return {"
        echo "sync_limit = $SYNC_INCREMENTAL_LIMIT,"
        echo "sync_users = { $(sync_users | paste -sd, -) },"
        echo "sync_tokens = {"
        for final in "${tokens[@]}"; do echo "\"$final\","; done
        echo "},"
        echo "}"
    } >"$SYNC_DATA"
    jq -nc --argjson users "$SYNC_USERS" --argjson changes "$SYNC_CHANGES" --argjson entries "$entries" \
        --argjson limit "$SYNC_INCREMENTAL_LIMIT" \
        '{kind: "sync_prep", scenario: "sync_incremental", users: $users, limit: $limit, changes_per_user: $changes,
          entries_per_page: ($entries / $users)}' >>"$RESULTS"
    jq -r '"  each page: \(.entries_per_page) changes (\(.changes_per_user) tasks, their list and tags), has_more false"' <<<"$(tail -1 "$RESULTS")"
}

if ((HOLD)); then
    {
        echo "PG_PORT=$PG_PORT"
        echo "SERVER_PORT=$SERVER_PORT"
        echo "BASE_URL=$BASE_URL"
        echo "DATA=$DATA"
        echo "PGDATA=$PGDATA"
        echo "PG_BIN=$PG_BIN"
        echo "JWT_SECRET=$JWT_SECRET"
        echo "DATABASE_URL=$DATABASE_URL"
        echo "LUA_DIR=$LUA_DIR"
    } >"$WORK/hold.env"
    log "holding: PostgreSQL on 127.0.0.1:$PG_PORT (user todo, database todo), the server at $BASE_URL;"
    log "  access tokens in $DATA; settings in $WORK/hold.env. Ctrl-C (or SIGTERM to $$) stops both."
    while :; do sleep 1; done
fi

# ---------------------------------------------------------------------------------------- measurements
proc_ticks() { # utime + stime of a process, in clock ticks
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    stat=${stat##*) }
    awk '{print $12 + $13}' <<<"$stat"
}
pg_ticks() { # the cluster: postmaster with its reaped children, plus the live children
    local total stat pid
    stat=$(cat "/proc/$PG_PM_PID/stat" 2>/dev/null) || { echo 0; return; }
    stat=${stat##*) }
    total=$(awk '{print $12 + $13 + $14 + $15}' <<<"$stat")
    for pid in $(pgrep -P "$PG_PM_PID" || true); do
        total=$((total + $(proc_ticks "$pid")))
    done
    echo "$total"
}
reset_peak_rss() { echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || true; }
peak_rss_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status"; }
min() { echo $(($1 < $2 ? $1 : $2)); }

# Runs wrk once; appends its BENCH_RESULT (plus what run.sh measured around it) to results.jsonl.
wrk_run() { # scenario conns seconds phase label [open]
    local scenario=$1 conns=$2 seconds=$3 phase=$4 label=$5 out=$WORK/wrk/$5.txt open_run=false
    local threads cpu0 cpu1 db0 db1 rss result established=null
    threads=$(min "$conns" "$WRK_THREADS")
    [[ ${6:-} == open ]] && open_run=true
    reset_peak_rss
    cpu0=$(proc_ticks "$SERVER_PID")
    db0=$(pg_ticks)
    if ((conns >= 1000)); then # count the connections the server holds half-way through
        (sleep $((seconds / 2 + 1)); ss -Htn state established "( sport = :$SERVER_PORT )" | wc -l >"$WORK/wrk/$label.established") &
        SIDE_PIDS+=($!)
    fi
    BENCH_DATA=$DATA BENCH_SYNC_DATA=${SYNC_DATA:-} BENCH_LUA_DIR=$LUA_DIR BENCH_RUN=$RUN_TAG BENCH_POINT=$label BENCH_SEEN_DIR=$WORK/seen \
        wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout "${WRK_TIMEOUT}s" -s "$LUA_DIR/$scenario.lua" "$BASE_URL" \
        >"$out" 2>&1 || true
    cpu1=$(proc_ticks "$SERVER_PID")
    db1=$(pg_ticks)
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$WORK/server.log" >&2; die "the server died during $label (log: $WORK/server.log)"; }
    result=$(sed -n 's/^BENCH_RESULT //p' "$out" | head -1)
    [[ -n $result ]] || { cat "$out" >&2; die "wrk printed no result for $label"; }
    [[ -f $WORK/wrk/$label.established ]] && established=$(tr -d ' ' <"$WORK/wrk/$label.established")
    jq -c --arg scenario "$scenario" --arg phase "$phase" --argjson conns "$conns" --argjson threads "$threads" \
        --argjson cpu $((cpu1 - cpu0)) --argjson db $((db1 - db0)) --argjson tck "$CLK_TCK" \
        --argjson rss "$(peak_rss_kb)" --argjson established "$established" --argjson open_run "$open_run" \
        '. + {kind: "api", scenario: $scenario, phase: $phase, conns: $conns, wrk_threads: $threads,
              server_cpu_s: ($cpu / $tck), db_cpu_s: ($db / $tck), peak_rss_kb: $rss,
              established_midway: $established, open_run: $open_run}' <<<"$result" >>"$RESULTS"
    LAST=$(tail -1 "$RESULTS")
}

print_api() {
    jq -r '"  \(.scenario | . + " " * (14 - length)) c=\(.conns | tostring | . + " " * (5 - length))"
        + " \(.rps | floor | tostring | " " * (7 - length) + .) req/s"
        + "  p50 \(.latency_us.p50 / 1000 * 100 | round / 100) ms  p99 \(.latency_us.p99 / 1000 * 100 | round / 100) ms"
        + "  max \(.latency_us.max / 1000 | round) ms"
        + "  errors \(.non2xx + .socket_errors.connect + .socket_errors.read + .socket_errors.write + .socket_errors.timeout)"
        + (if .requests > 0 then "  cpu \(.server_cpu_s / .requests * 1000 * 1000 | round / 1000) s/1k" else "" end)
        + "  rss \(.peak_rss_kb / 1024 | round) MB"
        + (if .established_midway then "  open conns \(.established_midway)" else "" end)' <<<"$LAST"
}

# async-profiler, loaded into the running server (jcmd JVMTI.agent_load): CPU samples over one measured point.
profiler() { # start | stop FILE
    local commands=() command
    if [[ $1 == start ]]; then
        commands=("start,event=cpu,interval=1ms")
    else # the same samples twice: collapsed stacks (one line per stack, for grep and scripts), then the flame graph
        commands=("dump,collapsed,file=${2%.html}.collapsed" "stop,file=$2,title=$(basename "$2" .html)")
    fi
    for command in "${commands[@]}"; do
        "$JCMD" "$SERVER_PID" JVMTI.agent_load "$AP_LIB" "\"$command\"" >>"$WORK/profiler.log" 2>&1 && ! grep -q "return code: [1-9]" <(tail -1 "$WORK/profiler.log") ||
            { tail -5 "$WORK/profiler.log" >&2; die "async-profiler ${command%%,*} failed (log: $WORK/profiler.log)"; }
    done
}

api_point() { # scenario conns [open]
    local label=$1-c$2
    if ((WARMUP > 0)); then wrk_run "$1" "$2" "$WARMUP" warmup "$label-warmup" "${3:-}"; fi
    [[ -z $PROFILE_DIR ]] || profiler start
    wrk_run "$1" "$2" "$DURATION" measure "$label" "${3:-}"
    [[ -z $PROFILE_DIR ]] || profiler stop "$PROFILE_DIR/$label.html"
    print_api
}

pgbench_run() { # script clients seconds [log]
    local script=$1 clients=$2 seconds=$3 prefix=$WORK/pgbench/$1-c$2 args=() out=$WORK/pgbench/$1-c$2.warmup
    if [[ ${4:-} == log ]]; then args=(-l --log-prefix "$prefix"); out=$prefix.out; fi
    "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U todo -n -M prepared -c "$clients" -j "$(min "$clients" "$(nproc)")" \
        -T "$seconds" -D users="$USERS" -D tasks="$TASKS_PER_USER" -D base="$BASE_EPOCH" -D projects="$PROJECTS" \
        -D syncpages="${SYNC_PG_PAGES:-0}" -D synchead="${SYNC_PG_HEAD:-0}" "${args[@]}" \
        -f "$SQL_DIR/pgbench/$script.sql" todo >"$out" 2>&1
}

pgbench_point() { # script clients
    local script=$1 clients=$2 prefix=$WORK/pgbench/$1-c$2 rc=0 tps processed failed pct
    if ((WARMUP > 0)); then pgbench_run "$script" "$clients" "$WARMUP" || true; fi
    pgbench_run "$script" "$clients" "$DURATION" log || rc=$?
    tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$prefix.out")
    processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$prefix.out")
    failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$prefix.out")
    if [[ -z $tps ]]; then
        tail -20 "$prefix.out" >&2
        die "pgbench $script failed (rc $rc; output in $prefix.out)"
    fi
    # Per-transaction log: client, transaction, latency (us), ...
    pct=$(cat "$prefix".[0-9]* 2>/dev/null | awk '{print $3}' | sort -n | awk '
        function at(p, i) { i = int(p * NR / 100 + 0.999999); if (i < 1) i = 1; return a[i] }
        { a[NR] = $1 }
        END { if (NR == 0) print "null null null null"; else print at(50), at(95), at(99), a[NR] }')
    rm -f "$prefix".[0-9]*
    read -r p50 p95 p99 max <<<"$pct"
    jq -nc --arg script "$script" --argjson clients "$clients" --argjson tps "$tps" --argjson processed "${processed:-0}" \
        --argjson failed "${failed:-0}" --argjson p50 "$p50" --argjson p95 "$p95" --argjson p99 "$p99" --argjson max "$max" \
        --argjson rc "$rc" \
        '{kind: "pgbench", script: $script, clients: $clients, tps: $tps, transactions: $processed, failed: $failed,
          rc: $rc, latency_us: {p50: $p50, p95: $p95, p99: $p99, max: $max}}' >>"$RESULTS"
    jq -r '"  \(.script | . + " " * (14 - length)) c=\(.clients | tostring | . + " " * (5 - length))"
        + " \(.tps | floor | tostring | " " * (7 - length) + .) tx/s "
        + "  p50 \((.latency_us.p50 // 0) / 1000 * 100 | round / 100) ms  p99 \((.latency_us.p99 // 0) / 1000 * 100 | round / 100) ms"
        + "  max \((.latency_us.max // 0) / 1000 | round) ms  failed \(.failed)"' <<<"$(tail -1 "$RESULTS")"
}

if [[ " $PGBENCH_SCRIPTS " == *" sync_page "* ]]; then
    # Where each page of each user's full sync starts (sync_page.sql reads it), in the server's feed order.
    read -r SYNC_PG_PAGES SYNC_PG_HEAD all_tasks <<<"$(sql -F' ' -v users="$USERS" -v limit="$SYNC_FULL_LIMIT" \
        -f "$SQL_DIR/sync-pages.sql" | tail -1)"
    [[ $all_tasks == t ]] || die "sync_page.sql needs every page but the first to start after a task"
fi
if [[ -n $PGBENCH_SCRIPTS ]]; then
    log "pgbench: the database's ceiling for the same SQL"
    for script in $PGBENCH_SCRIPTS; do
        for c in $CONCURRENCY; do pgbench_point "$script" "$c"; done
    done
    sql -c "DELETE FROM tasks WHERE title = 'pgbench insert'" -c "DROP TABLE IF EXISTS bench_sync_pages" >/dev/null
    sql -c "VACUUM (ANALYZE) tasks" -c "VACUUM (ANALYZE) task_tags" >/dev/null
fi

if [[ -n $SCENARIOS ]] && ((WARMUP > 0)); then
    log "wrk: warming the JVM up (mix, 8 connections, $((3 * WARMUP)) s)"
    wrk_run mix 8 $((3 * WARMUP)) warmup jvm-warmup
fi
log "wrk: API scenarios"
for scenario in $SCENARIOS; do
    case $scenario in
        sync_full) prepare_sync_full ;;
        sync_incremental) prepare_sync_incremental ;;
    esac
    for c in $CONCURRENCY; do api_point "$scenario" "$c"; done
done
if ((OPEN_CONNECTIONS > 0)); then
    log "wrk: $OPEN_CONNECTIONS open connections (GET by id)"
    api_point get "$OPEN_CONNECTIONS" open
fi

# ----------------------------------------------------------------------------------------- write check
WRITE_CHECK=null
if [[ " $SCENARIOS " == *" create "* ]]; then
    log "checking the create scenario: tasks in the database against the 201s wrk saw"
    sleep 1 # requests still in flight when wrk stopped finish (or fail) in the server
    cat "$WORK"/seen/*.txt 2>/dev/null >"$WORK/seen-all.txt" || true
    read -r seen lost duplicated rows unacknowledged <<<"$(sql -F' ' -v prefix="bench-create $RUN_TAG %" <<EOF
CREATE TEMP TABLE seen (title text);
\copy seen FROM '$WORK/seen-all.txt'
WITH created AS (SELECT title FROM tasks WHERE title LIKE :'prefix')
SELECT (SELECT count(*) FROM seen),
       (SELECT count(*) FROM seen s WHERE NOT EXISTS (SELECT 1 FROM created c WHERE c.title = s.title)),
       (SELECT count(*) - count(DISTINCT title) FROM created),
       (SELECT count(*) FROM created),
       (SELECT count(*) FROM created c WHERE NOT EXISTS (SELECT 1 FROM seen s WHERE s.title = c.title));
EOF
)"
    WRITE_CHECK=$(jq -s -c --argjson seen "$seen" --argjson lost "$lost" --argjson duplicated "$duplicated" \
        --argjson rows "$rows" --argjson unack "$unacknowledged" '
        [.[] | select(.kind == "api" and .scenario == "create")] as $runs
        | {wrk_2xx: ($runs | map(.ok) | add), titles_seen: $seen, rows: $rows, lost: $lost, duplicated: $duplicated,
           unacknowledged: $unack, in_flight_at_stop: ($runs | map(.sent - .ok - .non2xx) | add),
           ok: ($lost == 0 and $duplicated == 0 and ($runs | map(.ok) | add) == $seen
                and $unack <= ($runs | map(.sent - .ok - .non2xx) | add))}' "$RESULTS")
    jq -r '"  wrk saw \(.wrk_2xx) creates answered 2xx; the database has \(.rows) created tasks: "
        + "\(.lost) lost, \(.duplicated) duplicated, \(.unacknowledged) created by requests still in flight when wrk stopped"
        + " (at most \(.in_flight_at_stop)) -> " + (if .ok then "OK" else "FAILED" end)' <<<"$WRITE_CHECK"
fi

SERVER_RSS_FINAL_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || true)
SERVER_RSS_FINAL_KB=${SERVER_RSS_FINAL_KB:-null}
SERVER_LOG_ERRORS=$(grep -c ' ERROR ' "$WORK/server.log" || true)
# Requests wrk abandoned at the end of a point make the server log "Broken pipe" errors.
SERVER_LOG_BROKEN_PIPES=$(grep -A3 ' ERROR ' "$WORK/server.log" | grep -c 'Broken pipe' || true)
SERVER_LOG_WARNINGS=$(grep -c ' WARN ' "$WORK/server.log" || true)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
T_END=$(date +%s)

# ---------------------------------------------------------------------------------------------- report
DATE=$(date -u +%F)
NAME=$DATE; [[ $QUICK == 1 ]] && NAME+=-quick
[[ -e $RESULTS_DIR/$NAME.md ]] && NAME=$NAME-$(date -u +%H%M%S)
jq -n \
    --arg date "$(date -u '+%F %H:%M UTC')" --arg name "$NAME" --argjson quick "$QUICK" \
    --arg command "bench/run.sh${ORIG_ARGS:+ $ORIG_ARGS}" \
    --arg jar "$JAR" --arg jar_sha "$(sha256sum "$JAR" | cut -c1-12)" \
    --arg jar_commit "$(git -C "$(dirname "$JAR")" describe --always --dirty 2>/dev/null || echo unknown)" \
    --arg bench_commit "$(git -C "$BENCH_DIR" describe --always --dirty 2>/dev/null || echo unknown)" \
    --arg cpu "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)" --arg nproc "$(nproc)" \
    --arg ram "$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)" \
    --arg kernel "$(uname -srm)" --arg os "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")" \
    --arg java "$("$JAVA" -version 2>&1 | head -3 | paste -sd';' - | sed 's/;/; /g')" \
    --arg java_opts "${BENCH_JAVA_OPTS:-}" \
    --arg pg "$PG_VERSION" --arg pg_settings "$PG_SETTINGS" --arg wrk "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)" \
    --arg load_start "$LOAD_START" --arg load_end "$LOAD_END" \
    --argjson warmup "$WARMUP" --argjson duration "$DURATION" --arg concurrency "$CONCURRENCY" \
    --argjson users "$USERS" --argjson tasks_per_user "$TASKS_PER_USER" --argjson tasks "$N_TASKS" \
    --argjson tags "$N_TAGS" --argjson task_tags "$N_TASK_TAGS" --argjson completed "$N_COMPLETED" --arg db_size "$DB_SIZE" \
    --argjson seed_ms "$SEED_MS" --argjson ready_empty "$READY_MS_EMPTY" --argjson ready_seeded "$READY_MS_SEEDED" --argjson ready_aot "$READY_MS_AOT" \
    --arg server_env "${SERVER_ENV[*]}" --arg profile "$PROFILE_DIR" \
    --arg pool "$(printf '%s\n' "${SERVER_ENV[@]}" | sed -n 's/^DATABASE_POOL_SIZE=//p' | tail -1 | grep . ||
        echo "${DATABASE_POOL_SIZE:-10 (default)}")" --argjson wrk_threads "$WRK_THREADS" \
    --argjson write_check "$WRITE_CHECK" --argjson rss_final "$SERVER_RSS_FINAL_KB" \
    --argjson server_log_errors "${SERVER_LOG_ERRORS:-0}" --argjson server_log_broken_pipes "${SERVER_LOG_BROKEN_PIPES:-0}" --argjson server_log_warnings "${SERVER_LOG_WARNINGS:-0}" --argjson elapsed $((T_END - T_START)) \
    '$ARGS.named' >"$WORK/meta.json"
"$BENCH_DIR/lib/report.sh" "$WORK/meta.json" "$RESULTS" "$RESULTS_DIR/$NAME.md" \
    "$([[ $HAVE_GNUPLOT == 1 ]] && echo "$RESULTS_DIR/$NAME.png")"

echo
log "done in $((T_END - T_START)) s; load average at end: $LOAD_END"
echo "  report: $RESULTS_DIR/$NAME.md"
[[ $HAVE_GNUPLOT == 1 ]] && echo "  chart:  $RESULTS_DIR/$NAME.png"
echo "  raw:    $RESULTS (wrk and pgbench output in $WORK/wrk and $WORK/pgbench, server log $WORK/server.log)"
if [[ $WRITE_CHECK != null && $(jq -r .ok <<<"$WRITE_CHECK") != true ]]; then
    echo "bench: the write check FAILED (see the report)" >&2
    exit 3
fi
