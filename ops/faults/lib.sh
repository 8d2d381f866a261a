# Shared helpers of the fault drills (sourced, not run). See README.md, "Fault drills".
#
# Provides: option parsing (--jar, --work, --keep, ...), a private PostgreSQL cluster, starting and stopping
# server jars, one-request-at-a-time HTTP with everything a check needs recorded (status, latency, problem
# code, Retry-After, ...), load workers that append one TSV line per request, PASS/FAIL bookkeeping, and a
# cleanup trap that stops everything the drill started, also when it fails or is interrupted.

FAULTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$FAULTS_DIR/../.." && pwd)

# ---------------------------------------------------------------- defaults (before the drill's own options)

JAR=${FAULTS_JAR:-$REPO_DIR/server/target/todo-api-server.jar}
WORK=""                  # default: /tmp/faults-work/<drill>
KEEP=0                   # keep the work dir (logs, cluster) even on PASS
PG_PORT_START=55532      # first candidate port of the private PostgreSQL
PORT_START=18080         # first candidate API port (the next free ones are used)
MGMT_PORT_START=19090    # first candidate management port
START_TIMEOUT=180        # seconds a server may take to become ready (shared, loaded machines are slow)
REQ_MAX_TIME=15          # curl --max-time of every request: a hang shows up as rc=28, never blocks the drill
JAVA_OPTS=${FAULTS_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}

if [[ -z ${JAVA:-} ]]; then
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        JAVA=$JAVA_HOME/bin/java
    elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
        JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
    else
        JAVA=java
    fi
fi
if [[ -z ${PG_BIN:-} ]]; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [[ -n $PG_BIN ]] || PG_BIN=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /usr/bin/pg_ctl)")
fi
PSQL=$(command -v psql 2>/dev/null || echo "$PG_BIN/psql")

COMMON_USAGE="  --jar PATH        server jar (default: server/target/todo-api-server.jar of this repository)
  --work DIR        work directory: logs, clusters, data (default: /tmp/faults-work/$DRILL; emptied first)
  --keep            keep the work directory after a PASS too (it is always kept after a FAIL)
  --port N          first API port to try (default 18080; the next free ones are used)
  --pg-port N       first PostgreSQL port to try (default 55532)
  -h, --help        this text
Environment: JAVA_HOME (JDK 21+), PG_BIN (PostgreSQL server binaries, default the newest
/usr/lib/postgresql/*/bin), FAULTS_JAVA_OPTS (JVM options of the servers). Needs curl, jq, psql."

# common_option "$@": handles one common option; sets SHIFT_BY, returns 1 when the option is unknown.
common_option() {
    SHIFT_BY=1
    case $1 in
        --jar) JAR=${2:?--jar needs a path}; SHIFT_BY=2 ;;
        --work) WORK=${2:?--work needs a directory}; SHIFT_BY=2 ;;
        --keep) KEEP=1 ;;
        --port) PORT_START=${2:?}; SHIFT_BY=2 ;;
        --pg-port) PG_PORT_START=${2:?}; SHIFT_BY=2 ;;
        -h|--help) usage; exit 0 ;;
        *) return 1 ;;
    esac
}

# ---------------------------------------------------------------- output and verdict

log() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '%s: %s\n' "$DRILL" "$*" >&2; exit 2; }

FAILURES=0
CHECKS=()
pass() { CHECKS+=("  ok    $*"); printf '%s  ok    %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { CHECKS+=("  FAIL  $*"); printf '%s  FAIL  %s\n' "$(date -u +%H:%M:%S)" "$*"; FAILURES=$((FAILURES + 1)); }
# check_eq ACTUAL EXPECTED MESSAGE, check_le/check_ge ACTUAL LIMIT MESSAGE (numbers, decimals too).
check_eq() { if [[ $1 == "$2" ]]; then pass "$3"; else fail "$3 (got '$1', expected '$2')"; fi; }
check_le() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; then pass "$3"; else fail "$3 (got $1, limit $2)"; fi; }
check_ge() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; then pass "$3"; else fail "$3 (got $1, need at least $2)"; fi; }

COUNTS=()   # summary lines (requests sent / acknowledged / found ...)
count_line() { COUNTS+=("  $*"); }

# finish: prints the verdict block and exits 0 (PASS) or 1 (FAIL); the EXIT trap cleans up.
finish() {
    local verdict=PASS
    ((FAILURES == 0)) || verdict=FAIL
    echo
    echo "== $DRILL: $verdict ($((${#CHECKS[@]} - FAILURES))/${#CHECKS[@]} checks passed, $((SECONDS))s) =="
    local line
    for line in "${COUNTS[@]}"; do echo "$line"; done
    for line in "${CHECKS[@]}"; do [[ $line == "  FAIL"* ]] && echo "$line"; done
    if [[ $verdict == FAIL ]]; then
        echo "  logs: $WORK"
        exit 1
    fi
    exit 0
}

# ---------------------------------------------------------------- setup and cleanup

RUN_ID=""
SERVER_NAMES=()
declare -A SERVER_PID SERVER_PORT SERVER_MGMT SERVER_EXIT
WORKER_PIDS=()
PG_DIR=""
PG_PORT=""
TAKEN_PORTS=" "
EMBEDDED_DATA_DIRS=()

# setup: checks the tools, (re)creates the work dir, installs the cleanup trap.
setup() {
    [[ -f $JAR ]] || die "no server jar at $JAR (build one: ./mvnw -q install -DskipTests, or pass --jar)"
    command -v curl >/dev/null || die "curl is needed"
    command -v jq >/dev/null || die "jq is needed"
    "$JAVA" -version >/dev/null 2>&1 || die "no java at $JAVA (set JAVA_HOME)"
    WORK=${WORK:-/tmp/faults-work/$DRILL}
    # A leftover of an interrupted earlier run of this drill: stop its cluster before emptying the dir.
    if [[ -f $WORK/pg/data/postmaster.pid ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [[ -d $WORK && ! -e $WORK/.fault-drill && -n $(ls -A "$WORK") ]]; then
        die "refusing to empty $WORK: not a fault drill work dir (no .fault-drill in it)"
    fi
    rm -rf "$WORK"
    mkdir -p "$WORK"
    touch "$WORK/.fault-drill"
    RUN_ID=$(date -u +%H%M%S)-$$
    STOP_FILE=$WORK/stop-load
    trap cleanup EXIT
    trap 'echo; log "interrupted"; exit 130' INT TERM
    log "$DRILL: jar $JAR, work dir $WORK"
}

cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    stop_load quiet
    local name
    for name in "${SERVER_NAMES[@]}"; do
        [[ -n ${SERVER_PID[$name]:-} ]] && stop_server "$name" TERM 25 quiet
    done
    [[ -n $PG_DIR ]] && pg_stop quiet
    local dir pid
    for dir in "${EMBEDDED_DATA_DIRS[@]}"; do   # an embedded PostgreSQL its server did not stop (crash)
        if [[ -f $dir/postmaster.pid ]]; then
            pid=$(head -1 "$dir/postmaster.pid")
            [[ $pid =~ ^[0-9]+$ ]] && kill -INT "$pid" 2>/dev/null && log "stopped leftover embedded PostgreSQL $pid"
        fi
    done
    if ((status == 0 && KEEP == 0)); then
        rm -rf "$WORK"
    else
        log "work dir kept: $WORK"
    fi
    exit "$status"
}

port_in_use() {
    if command -v ss >/dev/null; then
        ss -Htln "( sport = :$1 )" 2>/dev/null | grep -q .
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

# alloc_port VAR START: the first free port >= START not handed out before in this run.
alloc_port() {
    local p=$2
    while port_in_use "$p" || [[ $TAKEN_PORTS == *" $p "* ]]; do p=$((p + 1)); done
    TAKEN_PORTS+="$p "
    printf -v "$1" '%s' "$p"
}

# ---------------------------------------------------------------- private PostgreSQL cluster

# PostgreSQL refuses to run as root: run it as the postgres OS user then.
as_pg() {
    if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_setup: initdb a cluster in $WORK/pg on a free port, start it, create database "todo".
pg_setup() {
    PG_DIR=$WORK/pg
    alloc_port PG_PORT "$PG_PORT_START"
    mkdir -p "$PG_DIR"
    ((EUID == 0)) && chown postgres: "$PG_DIR"
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
        || die "initdb failed: $(tail -3 "$PG_DIR/initdb.log")"
    cat >>"$PG_DIR/data/postgresql.conf" <<EOF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
max_connections = 60
shared_buffers = 64MB
log_line_prefix = '%m [%p] '
EOF
    pg_start || die "PostgreSQL did not start: $(tail -5 "$PG_DIR/pg.log")"
    psql_db postgres "CREATE DATABASE todo" >/dev/null
    DATABASE_URL_PRIVATE="postgresql://postgres@127.0.0.1:$PG_PORT/todo"
    log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $NF}') on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

pg_start() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/pg.log" -w -t 60 start >/dev/null; }

# pg_stop [quiet]: fast shutdown (terminates sessions, rolls back open transactions).
pg_stop() {
    [[ -f $PG_DIR/data/postmaster.pid ]] || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null
}

# psql_db DB SQL / psql_todo SQL: unaligned, tuples only.
psql_db() { PGCONNECT_TIMEOUT=5 "$PSQL" -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -Atq -v ON_ERROR_STOP=1 -c "$2"; }
psql_todo() { psql_db todo "$1"; }

random_secret() { head -c 48 /dev/urandom | base64 | tr -d '\n'; }

# ---------------------------------------------------------------- servers

# start_server NAME [VAR=VALUE ...]: starts the jar on free ports with the given environment; log in $WORK/NAME.log.
start_server() {
    local name=$1; shift
    local port mport
    if [[ -n ${SERVER_PORT[$name]:-} ]]; then   # a restart keeps its ports
        port=${SERVER_PORT[$name]} mport=${SERVER_MGMT[$name]}
    else
        alloc_port port "$PORT_START"
        alloc_port mport "$MGMT_PORT_START"
        SERVER_NAMES+=("$name")
    fi
    SERVER_PORT[$name]=$port SERVER_MGMT[$name]=$mport
    echo "---- start $(date -u +%FT%TZ)" >>"$WORK/$name.log"
    # shellcheck disable=SC2086
    env PORT="$port" MANAGEMENT_PORT="$mport" BCRYPT_COST="${BCRYPT_COST:-10}" "$@" \
        "$JAVA" $JAVA_OPTS -jar "$JAR" >>"$WORK/$name.log" 2>&1 &
    SERVER_PID[$name]=$!
    unset "SERVER_EXIT[$name]"
}

url() { printf 'http://127.0.0.1:%s%s' "${SERVER_PORT[$1]}" "$2"; }

# wait_ready NAME: until GET /health/ready answers 200 (fails when the process exits or START_TIMEOUT passes).
wait_ready() {
    local name=$1 start=$EPOCHREALTIME code
    while :; do
        if ! kill -0 "${SERVER_PID[$name]}" 2>/dev/null; then
            wait "${SERVER_PID[$name]}"; SERVER_EXIT[$name]=$?
            die "server $name exited with ${SERVER_EXIT[$name]} while starting; log: $WORK/$name.log
$(tail -15 "$WORK/$name.log")"
        fi
        code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$(url "$name" /health/ready)")
        [[ $code == 200 ]] && break
        if awk -v s="$start" -v n="$EPOCHREALTIME" -v t="$START_TIMEOUT" 'BEGIN { exit !(n - s > t) }'; then
            die "server $name not ready after ${START_TIMEOUT}s (last status $code); log: $WORK/$name.log"
        fi
        sleep 0.5
    done
    log "server $name ready on :${SERVER_PORT[$name]} (pid ${SERVER_PID[$name]}, $(elapsed "$start")s)"
}

# stop_server NAME SIGNAL [TIMEOUT [quiet]]: signals the server, waits up to TIMEOUT s (then SIGKILL);
# the exit status lands in SERVER_EXIT[NAME].
stop_server() {
    local name=$1 sig=$2 timeout=${3:-25} pid=${SERVER_PID[$1]:-} i
    [[ -n $pid ]] || return 0
    kill "-$sig" "$pid" 2>/dev/null
    for ((i = 0; i < timeout * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        [[ ${4:-} == quiet ]] || log "server $name still running after ${timeout}s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    SERVER_EXIT[$name]=$?
    SERVER_PID[$name]=""
}

elapsed() { awk -v s="$1" -v n="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.1f", n - s }'; }

# ---------------------------------------------------------------- HTTP

# req METHOD URL [curl options...]: one request; sets R_STATUS (000 when no HTTP answer), R_RC (curl exit),
# R_T0/R_T1 (epoch seconds), R_TIME (curl's total), R_CODE (problem code), R_RETRY (Retry-After), R_CTYPE,
# R_REQID (X-Request-Id), R_REPLAYED (Idempotent-Replayed), R_ID (first "id" of the body), R_BODY, R_HEADERS.
req() {
    local method=$1 url=$2; shift 2
    local tmp=$WORK/tmp/req.$BASHPID out line name value
    [[ -d $WORK/tmp ]] || mkdir -p "$WORK/tmp"
    : >"$tmp.body"; : >"$tmp.hdr"
    R_T0=$EPOCHREALTIME
    out=$(curl -s -o "$tmp.body" -D "$tmp.hdr" --max-time "$REQ_MAX_TIME" -X "$method" \
        -w '%{http_code} %{time_total}' "$@" "$url")
    R_RC=$?
    R_T1=$EPOCHREALTIME
    read -r R_STATUS R_TIME <<<"$out"
    R_STATUS=${R_STATUS:-000} R_TIME=${R_TIME:-0}
    R_BODY=$(<"$tmp.body")
    R_HEADERS=$(<"$tmp.hdr")
    R_RETRY="" R_CTYPE="" R_REQID="" R_REPLAYED="" R_CODE="" R_ID=""
    while IFS= read -r line; do
        line=${line%$'\r'}
        [[ $line == *:* ]] || continue
        name=${line%%:*} value=${line#*:} value=${value# }
        case ${name,,} in
            retry-after) R_RETRY=$value ;;
            content-type) R_CTYPE=${value%%;*} ;;
            x-request-id) R_REQID=$value ;;
            idempotent-replayed) R_REPLAYED=$value ;;
        esac
    done <<<"$R_HEADERS"
    [[ $R_BODY =~ \"code\":\"([A-Z_]+)\" ]] && R_CODE=${BASH_REMATCH[1]}
    [[ $R_BODY =~ \"id\":\"([0-9a-f-]{36})\" ]] && R_ID=${BASH_REMATCH[1]}
    return 0
}

# The columns of every load file (one request a line; t0/t1 epoch seconds):
# kind t0 t1 status time rc code retry_after content_type request_id replayed id key title
TSV_HEADER=$'kind\tt0\tt1\tstatus\ttime\trc\tcode\tretry_after\tcontent_type\trequest_id\treplayed\tid\tkey\ttitle'
record() { # record KIND FILE [KEY [TITLE]]; the body of every non-2xx answer goes to FILE.bodies too
    [[ $R_STATUS == 2* ]] || printf '%s\t%s\t%s\n' "${R_REQID:--}" "$R_STATUS" "${R_BODY:0:600}" >>"$2.bodies"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$R_T0" "$R_T1" "$R_STATUS" "$R_TIME" \
        "$R_RC" "${R_CODE:--}" "${R_RETRY:--}" "${R_CTYPE:--}" "${R_REQID:--}" "${R_REPLAYED:--}" "${R_ID:--}" \
        "${3:--}" "${4:--}" >>"$2"
}

# register_user NAME EMAIL: registers (on server NAME); sets TOKEN, REFRESH, USER_ID.
register_user() {
    local email=$2
    req POST "$(url "$1" /api/v1/auth/register)" -H 'Content-Type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"fault drill password\",\"name\":\"Fault drill\"}"
    [[ $R_STATUS == 201 || $R_STATUS == 200 ]] || die "register on $1: HTTP $R_STATUS $R_BODY"
    TOKEN=$(jq -r .access_token <<<"$R_BODY")
    REFRESH=$(jq -r .refresh_token <<<"$R_BODY")
    USER_ID=$(jq -r .user.id <<<"$R_BODY")
}

create_body() { printf '{"title":"%s"}' "$1"; }

# ---------------------------------------------------------------- load workers (background subshells)

# writer_loop SERVER ID OUT PAUSE: creates tasks with unique titles, each with its own Idempotency-Key.
writer_loop() {
    local server=$1 id=$2 out=$3 pause=$4 n=0 key title
    trap - EXIT INT TERM
    while [[ ! -e $STOP_FILE ]]; do
        n=$((n + 1))
        key=$RUN_ID-w$id-$n
        title="fault $RUN_ID w$id #$n"
        req POST "$(url "$server" /api/v1/tasks)" -H "Authorization: Bearer $TOKEN" \
            -H 'Content-Type: application/json' -H "Idempotency-Key: $key" -d "$(create_body "$title")"
        record write "$out" "$key" "$title"
        sleep "$pause"
    done
}

# reader_loop SERVER OUT PAUSE: lists the newest tasks.
reader_loop() {
    local server=$1 out=$2 pause=$3
    trap - EXIT INT TERM
    while [[ ! -e $STOP_FILE ]]; do
        req GET "$(url "$server" '/api/v1/tasks?limit=20')" -H "Authorization: Bearer $TOKEN"
        record read "$out"
        sleep "$pause"
    done
}

# probe_loop SERVER KIND PATH OUT PAUSE: GET PATH (a health endpoint) again and again.
probe_loop() {
    local server=$1 kind=$2 path=$3 out=$4 pause=$5
    trap - EXIT INT TERM
    while [[ ! -e $STOP_FILE ]]; do
        req GET "$(url "$server" "$path")"
        record "$kind" "$out"
        sleep "$pause"
    done
}

# start_worker FUNCTION ARGS...: runs it in the background; stop_load stops them all.
start_worker() {
    rm -f "$STOP_FILE"
    "$@" &
    WORKER_PIDS+=($!)
}

# stop_load [quiet]: asks the workers to stop after their current request, waits (they give up within
# REQ_MAX_TIME), then kills stragglers.
stop_load() {
    ((${#WORKER_PIDS[@]})) || return 0
    touch "$STOP_FILE"
    local pid i
    for ((i = 0; i < (REQ_MAX_TIME + 5) * 10; i++)); do
        local alive=0
        for pid in "${WORKER_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.1
    done
    for pid in "${WORKER_PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    WORKER_PIDS=()
}
