#!/usr/bin/env bash
# Fault drill: the server process dies (kill -9) in the middle of a write load and is started again.
#
# A server on a private PostgreSQL cluster takes creates (unique titles, each with an Idempotency-Key);
# it is killed with SIGKILL mid-load, then restarted on the same database (same JWT_SECRET). Checks:
#   - its database sessions are gone after the kill (no transaction left open);
#   - every acknowledged (2xx) write is in the database exactly once, and no title is there twice;
#   - replaying the Idempotency-Key of every acknowledged write returns the first response (201, same task
#     id, Idempotent-Replayed: true) and creates nothing;
#   - replaying the writes cut off by the crash succeeds, and afterwards every title sent exists exactly once.
#
# Usage: ops/faults/crash-restart.sh [--jar PATH] [--writers 4] [--before 6] ...  (--help)
set -uo pipefail
DRILL=crash-restart
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WRITERS=4 BEFORE=6 PAUSE=0.02

usage() {
    cat <<EOF
Usage: ops/faults/crash-restart.sh [options]

  --writers N       concurrent create loops (default $WRITERS)
  --before S        seconds of load before the kill (default $BEFORE)
$COMMON_USAGE
EOF
}

while (($#)); do
    case $1 in
        --writers) WRITERS=$2; shift 2 ;;
        --before) BEFORE=$2; shift 2 ;;
        *) common_option "$@" || { usage >&2; exit 2; }; shift "$SHIFT_BY" ;;
    esac
done

setup
pg_setup
SERVER_ENV=(DATABASE_URL="$DATABASE_URL_PRIVATE" JWT_SECRET="$(random_secret)")
start_server A "${SERVER_ENV[@]}"
wait_ready A
register_user A "crash-$RUN_ID@example.com"

LOAD=$WORK/load
mkdir -p "$LOAD"
log "load: $WRITERS writers (creates with Idempotency-Key) for ${BEFORE}s, then kill -9"
for ((i = 1; i <= WRITERS; i++)); do start_worker writer_loop A "$i" "$LOAD/write-$i.tsv" "$PAUSE"; done
sleep "$BEFORE"
KILLED_PID=${SERVER_PID[A]}
T_KILL=$EPOCHREALTIME
kill -KILL "$KILLED_PID"
wait "$KILLED_PID" 2>/dev/null
KILL_STATUS=$?
SERVER_PID[A]=""
log "server killed (pid $KILLED_PID, status $KILL_STATUS)"
sleep 1   # the writers keep trying: refused connections
stop_load

# Its sessions end with its sockets; PostgreSQL rolls back whatever was open.
SESSIONS=-1
for ((i = 0; i < 50; i++)); do
    SESSIONS=$(psql_todo "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'todo-api'")
    [[ $SESSIONS == 0 ]] && break
    sleep 0.1
done

ALL=$WORK/requests.tsv
{ echo "$TSV_HEADER"; cat "$LOAD"/*.tsv; } >"$ALL"
eval "$(awk -F'\t' -v kill="$T_KILL" 'NR > 1 {
        sent++
        if ($4 ~ /^2/) ok++
        else if ($4 == "000" && $6 == 7) refused++
        else if ($4 == "000") cut++
        else other++
        if ($2 < kill && $3 > kill) inflight++
    }
    END { printf "SENT=%d ACKED=%d REFUSED=%d CUT=%d OTHER=%d INFLIGHT=%d\n", sent, ok, refused, cut, other, inflight }' "$ALL")"
log "writes: $SENT sent, $ACKED acknowledged, $CUT cut off by the kill, $REFUSED refused while down, $OTHER other answers"

log "restarting the server on the same database"
start_server A "${SERVER_ENV[@]}"
wait_ready A

echo
log "checks"
check_eq "$KILL_STATUS" 137 "the server died of SIGKILL"
check_eq "$SESSIONS" 0 "its database sessions ended with it"
check_ge "$INFLIGHT" 1 "writes were in flight at the kill ($INFLIGHT)"
check_eq "$OTHER" 0 "no write got an HTTP error before the kill"

awk -F'\t' 'NR > 1 && $4 ~ /^2/ { print $14 }' "$ALL" | sort >"$WORK/acked.txt"
psql_todo "SELECT title FROM tasks WHERE user_id = '$USER_ID'" | sort >"$WORK/db-before-replay.txt"
FOUND=$(comm -12 "$WORK/acked.txt" <(sort -u "$WORK/db-before-replay.txt") | wc -l)
ONCE=$(comm -12 "$WORK/acked.txt" <(uniq -u "$WORK/db-before-replay.txt") | wc -l)
DUPS=$(uniq -d "$WORK/db-before-replay.txt" | wc -l)
ROWS_BEFORE=$(wc -l <"$WORK/db-before-replay.txt")
UNACKED_COMMITTED=$((ROWS_BEFORE - FOUND))
check_eq "$FOUND" "$ACKED" "every acknowledged write is in the database ($FOUND of $ACKED)"
check_eq "$ONCE" "$ACKED" "each exactly once ($ONCE of $ACKED)"
check_eq "$DUPS" 0 "no title twice in the database"

# Replay of the acknowledged writes: the first response, nothing created.
REPLAY=$WORK/replay-acked.tsv
: >"$REPLAY"
while IFS=$'\t' read -r key title id; do
    req POST "$(url A /api/v1/tasks)" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $key" -d "$(create_body "$title")"
    record replay "$REPLAY" "$key" "$title"
    printf '%s\n' "$id" >>"$REPLAY.expected"
done < <(awk -F'\t' 'NR > 1 && $4 ~ /^2/ { print $13 "\t" $14 "\t" $12 }' "$ALL")
REPLAYED=$(wc -l <"$REPLAY")
REPLAY_SAME=$(paste <(cut -f4,11,12 "$REPLAY") "$REPLAY.expected" 2>/dev/null | awk -F'\t' '$1 == 201 && $2 == "true" && $3 == $4' | wc -l)
ROWS_AFTER_REPLAY=$(psql_todo "SELECT count(*) FROM tasks WHERE user_id = '$USER_ID'")
check_eq "$REPLAY_SAME" "$ACKED" "replaying the acknowledged keys returned the first response: 201, same task id, Idempotent-Replayed: true ($REPLAY_SAME of $REPLAYED)"
check_eq "$ROWS_AFTER_REPLAY" "$ROWS_BEFORE" "the replays created nothing (tasks before/after: $ROWS_BEFORE/$ROWS_AFTER_REPLAY)"
if ((REPLAY_SAME != ACKED)); then
    echo "        first mismatches (status, replayed, id, expected id):"
    paste <(cut -f4,11,12 "$REPLAY") "$REPLAY.expected" | awk -F'\t' '!($1 == 201 && $2 == "true" && $3 == $4)' | head -3 | sed 's/^/          /'
fi

# Retry of the writes that got no answer: they either committed before the crash (replayed) or never did (created now).
RETRY=$WORK/retry-unacked.tsv
: >"$RETRY"
while IFS=$'\t' read -r key title; do
    req POST "$(url A /api/v1/tasks)" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $key" -d "$(create_body "$title")"
    record retry "$RETRY" "$key" "$title"
done < <(awk -F'\t' 'NR > 1 && $4 !~ /^2/ { print $13 "\t" $14 }' "$ALL")
RETRIED=$(wc -l <"$RETRY")
RETRY_OK=$(awk -F'\t' '$4 ~ /^2/' "$RETRY" | wc -l)
RETRY_REPLAYED=$(awk -F'\t' '$4 ~ /^2/ && $11 == "true"' "$RETRY" | wc -l)
read -r DB_ROWS DB_DISTINCT < <(psql_todo "SELECT count(*), count(DISTINCT title) FROM tasks WHERE user_id = '$USER_ID'" | tr '|' ' ')
check_eq "$RETRY_OK" "$RETRIED" "retrying the unanswered writes with their keys succeeded ($RETRY_OK of $RETRIED; $RETRY_REPLAYED had committed before the crash)"
check_eq "$RETRY_REPLAYED" "$UNACKED_COMMITTED" "exactly the unanswered writes that had committed were replayed ($RETRY_REPLAYED/$UNACKED_COMMITTED)"
check_eq "$DB_ROWS/$DB_DISTINCT" "$SENT/$SENT" "afterwards every title sent is in the database exactly once (rows/distinct)"

count_line "writes:  sent $SENT, acknowledged (2xx) $ACKED, found in DB after the restart $FOUND (exactly once: $ONCE);" \
    "$CUT cut off by the kill ($UNACKED_COMMITTED of them committed anyway), $REFUSED refused while the server was down"
count_line "replay:  $REPLAYED acknowledged keys -> $REPLAY_SAME identical replays, tasks $ROWS_BEFORE -> $ROWS_AFTER_REPLAY;" \
    "$RETRIED unanswered keys retried -> $RETRY_OK 2xx ($RETRY_REPLAYED replayed); final rows $DB_ROWS, distinct titles $DB_DISTINCT"
finish
