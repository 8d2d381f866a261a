#!/usr/bin/env bash
# Fault drill: SIGTERM while requests are in flight, with the embedded PostgreSQL.
#
# The server runs with its own PostgreSQL (no DATABASE_URL; TODO_DATA_DIR in the work dir), is seeded with
# --seed tasks, and serves concurrent lists of 1000 tasks plus a few slow registrations (bcrypt cost 14:
# seconds each, then a database write) when it gets SIGTERM. Checks:
#   - every request sent before the signal completes with 2xx and a complete body;
#   - once the graceful shutdown has begun, new connections are refused (no HTTP answer at all);
#   - the process exits within --grace seconds, with status 0 or 143 (128+SIGTERM, what the JVM returns
#     after an orderly shutdown on SIGTERM);
#   - the log shows the embedded PostgreSQL stopping (pg_ctl stop), and only after the requests have drained
#     and the connection pool is closed;
#   - no postgres process of that data dir remains and its postmaster.pid is gone;
#   - started again on the same data dir, PostgreSQL reports a clean previous shutdown, every task is still
#     there, and an access token of the first run is still accepted (the generated JWT secret persisted).
#
# Usage: ops/faults/graceful-shutdown.sh [--jar PATH] [--seed 1500] [--grace 30] ...  (--help)
set -uo pipefail
DRILL=graceful-shutdown
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
unset DATABASE_URL DATABASE_USER DATABASE_PASSWORD JWT_SECRET   # this drill is about the embedded database

SEED=1500 API_CREATES=20 LISTERS=4 SLOW=3 BCRYPT=14 GRACE=30 WARMUP=3

usage() {
    cat <<EOF
Usage: ops/faults/graceful-shutdown.sh [options]

  --seed N          tasks inserted before the drill (default $SEED)
  --listers N       concurrent loops listing 1000 tasks (default $LISTERS)
  --slow N          slow registrations in flight at the signal (default $SLOW)
  --bcrypt-cost N   the server's BCRYPT_COST, which makes them slow (default $BCRYPT)
  --grace S         the process must exit within S seconds of SIGTERM (default $GRACE;
                    the server's own limit is 20 s for in-flight requests)
$COMMON_USAGE
EOF
}

while (($#)); do
    case $1 in
        --seed) SEED=$2; shift 2 ;;
        --listers) LISTERS=$2; shift 2 ;;
        --slow) SLOW=$2; shift 2 ;;
        --bcrypt-cost) BCRYPT=$2; shift 2 ;;
        --grace) GRACE=$2; shift 2 ;;
        *) common_option "$@" || { usage >&2; exit 2; }; shift "$SHIFT_BY" ;;
    esac
done

setup
DATA=$WORK/data
EMBEDDED_DATA_DIRS+=("$DATA/postgres")
SERVER_ENV=(TODO_DATA_DIR="$DATA" LOGGING_LEVEL_IO_ZONKY_TEST_DB_POSTGRES_EMBEDDED=info BCRYPT_COST=$BCRYPT
    AUTH_RATE_LIMIT_PER_MINUTE=100)
start_server G "${SERVER_ENV[@]}"
wait_ready G
EPORT=$(grep -o 'Using embedded PostgreSQL on port [0-9]*' "$WORK/G.log" | tail -1 | awk '{print $NF}')
[[ -n $EPORT ]] || die "no embedded PostgreSQL port in the log"
log "embedded PostgreSQL on port $EPORT, data in $DATA/postgres"
register_user G "graceful-$RUN_ID@example.com"
FIRST_TOKEN=$TOKEN

# Seed: SEED tasks by SQL (fast), API_CREATES through the API.
PGCONNECT_TIMEOUT=5 "$PSQL" -X -h 127.0.0.1 -p "$EPORT" -U postgres -d postgres -Atq -v ON_ERROR_STOP=1 -c \
    "INSERT INTO tasks (user_id, list_id, position, sort_path, title, description, priority, due_date)
     SELECT '$USER_ID', (SELECT id FROM lists WHERE user_id = '$USER_ID' AND is_default), 'a0' || lpad(g::text, 7, '0') || 'V',
            'a0' || lpad(g::text, 7, '0') || 'V',
            'seed ' || g, repeat('d', 800),
            (ARRAY['low','medium','high'])[1 + g % 3], now() + g * interval '1 hour'
     FROM generate_series(1, $SEED) g" >/dev/null || die "seeding through psql failed"
API_OK=0
for ((i = 1; i <= API_CREATES; i++)); do
    req POST "$(url G /api/v1/tasks)" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $RUN_ID-$i" -d "$(create_body "graceful $RUN_ID #$i")"
    [[ $R_STATUS == 201 ]] && API_OK=$((API_OK + 1))
done
EXPECTED=$((SEED + API_OK))
log "seeded $SEED tasks by SQL and $API_OK through the API"

# Load: listers (1000 tasks a request, back to back) and slow clients.
lister_loop() {
    local out=$1
    trap - EXIT INT TERM
    while [[ ! -e $STOP_FILE ]]; do
        req GET "$(url G '/api/v1/tasks?limit=1000')" -H "Authorization: Bearer $TOKEN"
        record list "$out"
        [[ $R_RC == 7 ]] && sleep 0.1   # refused: do not spin
    done
}
# slow_register OUT N: a registration, slow on purpose (bcrypt at BCRYPT_COST), that writes the user after hashing.
slow_register() {
    local out=$1 n=$2
    trap - EXIT INT TERM
    req POST "$(url G /api/v1/auth/register)" -H 'Content-Type: application/json' \
        -d "{\"email\":\"slow-$n-$RUN_ID@example.com\",\"password\":\"fault drill password\"}"
    record register "$out"
}
LOAD=$WORK/load
mkdir -p "$LOAD"
log "load: $LISTERS listers of 1000 tasks, then $SLOW slow registrations (bcrypt cost $BCRYPT)"
for ((i = 1; i <= LISTERS; i++)); do start_worker lister_loop "$LOAD/list-$i.tsv"; done
sleep "$WARMUP"
for ((i = 1; i <= SLOW; i++)); do start_worker slow_register "$LOAD/register-$i.tsv" "$i"; done
sleep 0.5

PID=${SERVER_PID[G]}
T_SIG=$EPOCHREALTIME
kill -TERM "$PID"
log "SIGTERM sent to $PID"
# New connections while it shuts down: one probe every 0.1 s until the process is gone.
PROBES=$LOAD/probes.tsv
while kill -0 "$PID" 2>/dev/null; do
    if awk -v s="$T_SIG" -v n="$EPOCHREALTIME" -v g="$GRACE" 'BEGIN { exit !(n - s > g + 10) }'; then break; fi
    req GET "$(url G /health/live)" --connect-timeout 1
    record probe "$PROBES"
    sleep 0.1
done
T_GONE=$EPOCHREALTIME
stop_server G TERM 15 quiet   # reaps it (SIGKILL only if it overstayed the grace period by 10 s + 15 s)
EXIT=${SERVER_EXIT[G]}
EXIT_S=$(elapsed "$T_SIG" "$T_GONE")
stop_load
log "process exited with status $EXIT, ${EXIT_S}s after SIGTERM"

ts() { date -u -d "$1" +%s.%N; }
LINE=$(grep -m1 'Commencing graceful shutdown' "$WORK/G.log" | tail -1)
T_COMMENCE=$([[ -n $LINE ]] && ts "${LINE%% *}" || echo "$T_SIG")
LINE=$(grep -m1 'Graceful shutdown complete' "$WORK/G.log")
T_DRAINED=$([[ -n $LINE ]] && ts "${LINE%% *}" || echo 0)
LINE=$(grep -m1 'HikariDataSource.*Shutdown completed' "$WORK/G.log")
T_POOL_CLOSED=$([[ -n $LINE ]] && ts "${LINE%% *}" || echo 0)
# zonky's pg_ctl stop ("waiting for server to shut down.... done", "shut down postmaster in ...")
LINE=$(grep -m1 -E 'waiting for server to shut down|shut down postmaster' "$WORK/G.log")
T_PG_STOPPED=$([[ -n $LINE ]] && ts "${LINE%% *}" || echo 0)

ALL=$WORK/requests.tsv
{ echo "$TSV_HEADER"; cat "$LOAD"/*.tsv; } >"$ALL"
eval "$(awk -F'\t' -v sig="$T_SIG" -v com="$T_COMMENCE" -v gone="$T_GONE" 'NR > 1 {
        sent[$1]++
        good = ($4 ~ /^2/ && $6 == 0)
        if ($2 < sig) { before++; if (good) before_ok++; else before_bad++
                        if ($3 > sig) { inflight++; if (good) inflight_ok++ } }
        if ($2 > com + 0.05) { after++; if ($4 == "000" && $6 == 7) { refused++; if ($3 < gone) refused_alive++ } else answered_after++ }
        if ($1 == "register") { slow++; if (good) slow_ok++; if ($5 > slowmax) slowmax = $5 }
    }
    END { printf "SENT_LIST=%d SENT_PROBE=%d BEFORE=%d BEFORE_OK=%d BEFORE_BAD=%d INFLIGHT=%d INFLIGHT_OK=%d AFTER=%d REFUSED=%d REFUSED_ALIVE=%d ANSWERED_AFTER=%d SLOW_N=%d SLOW_OK=%d SLOW_MAX=%.1f\n",
          sent["list"], sent["probe"], before, before_ok, before_bad, inflight, inflight_ok, after, refused, refused_alive, answered_after, slow, slow_ok, slowmax }' "$ALL")"

echo
log "checks"
check_ge "$INFLIGHT" 1 "requests were in flight at SIGTERM ($INFLIGHT)"
check_eq "$BEFORE_OK" "$BEFORE" "every request sent before SIGTERM completed with 2xx and a whole body ($BEFORE_OK of $BEFORE; in flight: $INFLIGHT_OK of $INFLIGHT)"
check_eq "$SLOW_OK" "$SLOW_N" "the slow registrations completed ($SLOW_OK of $SLOW_N 2xx, slowest ${SLOW_MAX}s)"
if ((BEFORE_BAD > 0)); then
    awk -F'\t' -v s="$T_SIG" 'NR > 1 && $2 < s && !($4 ~ /^2/ && $6 == 0) { printf "          %s started %.2fs before SIGTERM: status %s %s, curl rc %s, after %ss, request %s\n", $1, s - $2, $4, $7, $6, $5, $10 }' "$ALL" | head -5
    cat "$LOAD"/*.bodies 2>/dev/null | awk -F'\t' '$2 != "000" { print "          " $3 }' | head -2
fi
check_ge "$REFUSED_ALIVE" 1 "new connections were refused while it was still shutting down ($REFUSED_ALIVE)"
check_eq "$ANSWERED_AFTER" 0 "no request sent after the shutdown began got an answer ($REFUSED of $AFTER refused)"
check_le "$EXIT_S" "$GRACE" "the process exited within the grace period"
if [[ $EXIT == 0 || $EXIT == 143 ]]; then pass "exit status $EXIT (0, or 143 = 128+SIGTERM: the JVM's status after an orderly SIGTERM shutdown)"
else fail "exit status $EXIT (expected 0 or 143)"; fi
grep -q 'Stopping embedded PostgreSQL' "$WORK/G.log" && pass "the log shows the embedded PostgreSQL stopping" \
    || fail "no 'Stopping embedded PostgreSQL' in the log"
if awk -v p="$T_PG_STOPPED" 'BEGIN { exit !(p > 0) }'; then pass "the log shows PostgreSQL stopped (pg_ctl stop done)"
else fail "no pg_ctl stop of the embedded PostgreSQL in the log"; fi
if awk -v p="$T_PG_STOPPED" -v d="$T_DRAINED" -v c="$T_POOL_CLOSED" 'BEGIN { exit !(p >= d && p >= c) }'; then
    pass "PostgreSQL stopped only after the requests drained and the pool closed"
else
    fail "PostgreSQL stopped +$(elapsed "$T_SIG" "$T_PG_STOPPED")s after SIGTERM, before the requests drained" \
        "(+$(elapsed "$T_SIG" "$T_DRAINED")s) and the pool closed (+$(elapsed "$T_SIG" "$T_POOL_CLOSED")s)"
fi
LEFT=$(pgrep -f -- "$DATA/postgres" | wc -l)
check_eq "$LEFT" 0 "no postgres process of $DATA/postgres remains"
[[ ! -e $DATA/postgres/postmaster.pid ]] && pass "postmaster.pid removed (clean stop)" || fail "postmaster.pid still there"

log "starting again on the same data dir"
start_server G "${SERVER_ENV[@]}"
wait_ready G
LINE=$(grep -E 'database system (was shut down at|was interrupted|was not properly shut down)' "$WORK/G.log" | tail -1)
[[ $LINE == *"was shut down at"* ]] && pass "PostgreSQL found a clean shutdown: ${LINE##*LOG:  }" \
    || fail "PostgreSQL did not find a clean shutdown: ${LINE:-no startup line}"
TOTAL=0 CURSOR="" PAGES=0
while :; do
    req GET "$(url G "/api/v1/tasks?status=all&limit=1000${CURSOR:+&cursor=$CURSOR}")" -H "Authorization: Bearer $FIRST_TOKEN"
    [[ $R_STATUS == 200 ]] || { fail "listing after the restart: HTTP $R_STATUS $R_CODE"; break; }
    TOTAL=$((TOTAL + $(jq '.items | length' <<<"$R_BODY")))
    PAGES=$((PAGES + 1))
    CURSOR=$(jq -r '.next_cursor // empty' <<<"$R_BODY")
    [[ -n $CURSOR ]] || break
done
check_eq "$TOTAL" "$EXPECTED" "every task is still there after the restart ($TOTAL of $EXPECTED, $PAGES pages, with the first run's token)"
EPORT=$(grep -o 'Using embedded PostgreSQL on port [0-9]*' "$WORK/G.log" | tail -1 | awk '{print $NF}')
SLOW_USERS=$(PGCONNECT_TIMEOUT=5 "$PSQL" -X -h 127.0.0.1 -p "$EPORT" -U postgres -d postgres -Atq -c \
    "SELECT count(*) FROM users WHERE email LIKE 'slow-%-$RUN_ID@example.com'")
check_eq "$SLOW_USERS" "$SLOW_OK" "every acknowledged slow registration is in the database ($SLOW_USERS of $SLOW_OK)"
stop_server G TERM 30 quiet
check_eq "$(pgrep -f -- "$DATA/postgres" | wc -l)" 0 "after the second SIGTERM (status ${SERVER_EXIT[G]}) no postgres process remains either"

count_line "requests: $SENT_LIST lists of 1000 + $SLOW_N slow registrations; sent before SIGTERM $BEFORE, 2xx $BEFORE_OK, in flight at the signal $INFLIGHT ($INFLIGHT_OK 2xx)"
count_line "after the shutdown began: $AFTER connection attempts, $REFUSED refused ($REFUSED_ALIVE while the process was alive), $ANSWERED_AFTER answered"
count_line "shutdown: after SIGTERM: drained +$(elapsed "$T_SIG" "$T_DRAINED")s, pool closed +$(elapsed "$T_SIG" "$T_POOL_CLOSED")s," \
    "PostgreSQL stopped +$(elapsed "$T_SIG" "$T_PG_STOPPED")s, exit status $EXIT +${EXIT_S}s; data: $TOTAL of $EXPECTED tasks after the restart"
finish
