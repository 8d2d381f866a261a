#!/usr/bin/env bash
# Fault drill: PostgreSQL goes away for a while under load, then comes back.
#
# A server runs against a private PostgreSQL cluster (DATABASE_URL, DATABASE_CONNECT_TIMEOUT=2s) under a
# write load (creates with unique titles, each with an Idempotency-Key), a read load (task lists) and
# health probes. PostgreSQL is stopped (pg_ctl stop -m fast) for --outage seconds and started again.
# Checks:
#   - no request hangs: every answer within --bound seconds;
#   - every failure is 503 application/problem+json, code DATABASE_UNAVAILABLE, with Retry-After;
#   - GET /health and /health/ready answer 503 during the outage;
#   - the server recovers by itself (no restart) within --recovery seconds of PostgreSQL being back, and
#     from then on every request succeeds;
#   - every write that got a 2xx is in the database exactly once;
#   - retrying each failed write with its Idempotency-Key succeeds and leaves every title exactly once.
#
# Usage: ops/faults/db-outage.sh [--jar PATH] [--outage 10] [--bound 3] [--recovery 15] ...  (--help)
set -uo pipefail
DRILL=db-outage
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OUTAGE=10 BOUND=3 RECOVERY=15 WARMUP=5 AFTER=20 WRITERS=3 READERS=2 PAUSE=0.05

usage() {
    cat <<EOF
Usage: ops/faults/db-outage.sh [options]

  --outage S        seconds PostgreSQL stays down (default $OUTAGE)
  --bound S         every request must be answered within S seconds (default $BOUND)
  --recovery S      the server must serve again within S seconds of PostgreSQL being back (default $RECOVERY)
  --warmup S        load before the outage (default $WARMUP)
  --after S         load after PostgreSQL is back (default $AFTER; at least --recovery + 3)
  --writers N       concurrent create loops (default $WRITERS)
  --readers N       concurrent list loops (default $READERS)
$COMMON_USAGE
EOF
}

while (($#)); do
    case $1 in
        --outage) OUTAGE=$2; shift 2 ;;
        --bound) BOUND=$2; shift 2 ;;
        --recovery) RECOVERY=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --after) AFTER=$2; shift 2 ;;
        --writers) WRITERS=$2; shift 2 ;;
        --readers) READERS=$2; shift 2 ;;
        *) common_option "$@" || { usage >&2; exit 2; }; shift "$SHIFT_BY" ;;
    esac
done
((AFTER >= RECOVERY + 3)) || AFTER=$((RECOVERY + 3))

setup
pg_setup
start_server A DATABASE_URL="$DATABASE_URL_PRIVATE" JWT_SECRET="$(random_secret)" DATABASE_CONNECT_TIMEOUT=2s
wait_ready A
register_user A "outage-$RUN_ID@example.com"

LOAD=$WORK/load
mkdir -p "$LOAD"
log "load: $WRITERS writers (creates with Idempotency-Key), $READERS readers (lists), 2 probers (/health, /health/ready)"
for ((i = 1; i <= WRITERS; i++)); do start_worker writer_loop A "$i" "$LOAD/write-$i.tsv" "$PAUSE"; done
for ((i = 1; i <= READERS; i++)); do start_worker reader_loop A "$LOAD/read-$i.tsv" "$PAUSE"; done
start_worker probe_loop A health /health "$LOAD/health.tsv" 0.2
start_worker probe_loop A ready /health/ready "$LOAD/ready.tsv" 0.2
sleep "$WARMUP"

log "stopping PostgreSQL (pg_ctl stop -m fast)"
T_STOP0=$EPOCHREALTIME
pg_stop || fail "pg_ctl stop failed"
T_DOWN=$EPOCHREALTIME
log "PostgreSQL down ($(elapsed "$T_STOP0" "$T_DOWN")s to stop); waiting ${OUTAGE}s"
sleep "$OUTAGE"
T_START0=$EPOCHREALTIME
pg_start || fail "pg_ctl start failed"
T_UP=$EPOCHREALTIME
log "PostgreSQL up again ($(elapsed "$T_START0" "$T_UP")s to start); load goes on for ${AFTER}s"
sleep "$AFTER"
stop_load
T_END=$EPOCHREALTIME
log "load stopped"
printf 'stop issued %s\ndown %s\nstart issued %s\nup %s\nload stopped %s\n' "$T_STOP0" "$T_DOWN" "$T_START0" "$T_UP" "$T_END" >"$WORK/timeline.txt"

ALL=$WORK/requests.tsv
{ echo "$TSV_HEADER"; cat "$LOAD"/*.tsv; } >"$ALL"

# ---- latency and failure shape over the whole run
eval "$(awk -F'\t' -v bound="$BOUND" -v down="$T_DOWN" -v start0="$T_START0" -v up="$T_UP" '
    NR == 1 { next }
    { k = $1; sent[k]++; ok2 = ($4 ~ /^2/); if (ok2) ok[k]++
      if ($5 > maxt) maxt = $5
      if ($5 >= bound || $6 != 0) slow++
      if (!ok2) {
          conforming = ($4 == 503 && $7 == "DATABASE_UNAVAILABLE" && $8 != "-" && $9 == "application/problem+json")
          if (conforming) good503++; else bad++
          if ($3 > lastfail) lastfail = $3
      }
      if ($2 >= down && $3 <= start0) { during[k]++; if (!ok2 && conforming) during503[k]++; if ($5 > maxtd) maxtd = $5 }
    }
    END {
        split("write read health ready", ks, " ")
        for (i in ks) { k = ks[i]; printf "SENT_%s=%d OK_%s=%d DURING_%s=%d DURING503_%s=%d\n", k, sent[k], k, ok[k], k, during[k], k, during503[k] }
        printf "MAXT=%.3f MAXT_DURING=%.3f SLOW=%d GOOD503=%d BAD=%d LASTFAIL=%s\n", maxt, maxtd, slow, good503, bad, (lastfail ? lastfail : 0)
    }' "$ALL")"

# Recovery: the last failure, then the first success at or after max(last failure, PostgreSQL up).
eval "$(awk -F'\t' -v up="$T_UP" -v lastfail="$LASTFAIL" '
    NR == 1 { next }
    BEGIN { from = (lastfail > up ? lastfail : up); first = 0 }
    $4 ~ /^2/ && $3 >= from && (first == 0 || $3 < first) { first = $3 }
    $2 > lastfail { tail[$1]++ }
    END { printf "RECOVERED_AT=%s TAIL_write=%d TAIL_read=%d TAIL_ready=%d TAIL_health=%d\n", first, tail["write"], tail["read"], tail["ready"], tail["health"] }' "$ALL")"
RECOVERY_S=$(awk -v a="$RECOVERED_AT" -v u="$T_UP" 'BEGIN { printf "%.1f", (a ? a - u : 1e9) }')
TAIL_S=$(awk -v a="$LASTFAIL" -v u="$T_UP" -v e="$T_END" 'BEGIN { f = (a > u ? a : u); printf "%.1f", e - f }')

echo
log "checks"
check_ge "$SENT_write" 1 "write load ran ($SENT_write creates sent)"
check_eq "$SLOW" 0 "no request hung: every one answered (curl ok) within ${BOUND}s (max ${MAXT}s, during the outage ${MAXT_DURING}s)"
check_eq "$BAD" 0 "every failure was 503 problem+json DATABASE_UNAVAILABLE with Retry-After ($GOOD503 such, $BAD others)"
if ((BAD > 0)); then
    echo "        non-conforming failures (kind, +s after stop, status, curl rc, code, Retry-After, Content-Type, request id):"
    awk -F'\t' -v s="$T_STOP0" 'NR > 1 && $4 !~ /^2/ && !($4 == 503 && $7 == "DATABASE_UNAVAILABLE" && $8 != "-" && $9 == "application/problem+json") {
        printf "          %s +%.2fs %s rc=%s %s retry=%s %s %s\n", $1, $2 - s, $4, $6, $7, $8, $9, $10 }' "$ALL" | head -12
    echo "        their bodies:"
    cat "$LOAD"/*.bodies 2>/dev/null | awk -F'\t' '$2 != 503 || $3 !~ /DATABASE_UNAVAILABLE/ { print "          " $3 }' | head -3
fi
for k in write read health ready; do
    d=DURING_$k d5=DURING503_$k
    check_ge "${!d}" 1 "requests of kind '$k' fully inside the outage: ${!d}"
    check_eq "${!d5}" "${!d}" "all '$k' requests inside the outage got 503 DATABASE_UNAVAILABLE + Retry-After (${!d5}/${!d})"
done
check_le "$RECOVERY_S" "$RECOVERY" "recovered without a restart ${RECOVERY_S}s after PostgreSQL was back"
check_ge "$TAIL_S" 3 "every request after the recovery succeeded, for ${TAIL_S}s (writes $TAIL_write, reads $TAIL_read, ready $TAIL_ready, health $TAIL_health)"
check_ge "$((TAIL_write > 0 && TAIL_read > 0 && TAIL_ready > 0 ? 1 : 0))" 1 "writes, reads and readiness all served after the recovery"

# ---- durability of acknowledged writes
awk -F'\t' 'NR > 1 && $1 == "write" && $4 ~ /^2/ { print $14 }' "$ALL" | sort >"$WORK/acked.txt"
awk -F'\t' 'NR > 1 && $1 == "write" && $4 !~ /^2/ { print $14 }' "$ALL" | sort >"$WORK/unacked.txt"
psql_todo "SELECT title FROM tasks WHERE user_id = '$USER_ID'" | sort >"$WORK/db-titles.txt" || fail "psql query failed"
ACKED=$(wc -l <"$WORK/acked.txt")
FOUND=$(comm -12 "$WORK/acked.txt" <(sort -u "$WORK/db-titles.txt") | wc -l)
UNACKED=$(wc -l <"$WORK/unacked.txt")
UNACKED_FOUND=$(comm -12 "$WORK/unacked.txt" <(sort -u "$WORK/db-titles.txt") | wc -l)
DUPS=$(psql_todo "SELECT count(*) FROM (SELECT title FROM tasks WHERE user_id = '$USER_ID' GROUP BY title HAVING count(*) > 1) d")
check_eq "$FOUND" "$ACKED" "every acknowledged write is in the database ($FOUND of $ACKED)"
check_eq "$DUPS" 0 "no title twice in the database"
if ((FOUND != ACKED)); then
    echo "        missing: $(comm -23 "$WORK/acked.txt" <(sort -u "$WORK/db-titles.txt") | head -5 | paste -sd, -)"
fi

# ---- a client retrying its failed writes with the same Idempotency-Key
RETRY=$WORK/retries.tsv
: >"$RETRY"
while IFS=$'\t' read -r key title; do
    req POST "$(url A /api/v1/tasks)" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $key" -d "$(create_body "$title")"
    record retry "$RETRY" "$key" "$title"
done < <(awk -F'\t' 'NR > 1 && $1 == "write" && $4 !~ /^2/ { print $13 "\t" $14 }' "$ALL")
RETRIED=$(wc -l <"$RETRY")
RETRY_OK=$(awk -F'\t' '$4 ~ /^2/' "$RETRY" | wc -l)
RETRY_REPLAYED=$(awk -F'\t' '$4 ~ /^2/ && $11 == "true"' "$RETRY" | wc -l)
read -r DB_ROWS DB_DISTINCT < <(psql_todo "SELECT count(*), count(DISTINCT title) FROM tasks WHERE user_id = '$USER_ID'" | tr '|' ' ')
check_eq "$RETRY_OK" "$RETRIED" "retrying each failed write with its Idempotency-Key succeeded ($RETRY_OK/$RETRIED, $RETRY_REPLAYED of them replayed)"
check_eq "$DB_ROWS/$DB_DISTINCT" "$SENT_write/$SENT_write" "after the retries every title sent is in the database exactly once (rows/distinct)"

count_line "writes:  sent $SENT_write, acknowledged (2xx) $OK_write, found in DB afterwards $FOUND of $ACKED acknowledged;" \
    "$UNACKED failed ($UNACKED_FOUND of them committed anyway), retried $RETRIED -> $RETRY_OK 2xx ($RETRY_REPLAYED replayed)"
count_line "reads:   sent $SENT_read, 2xx $OK_read;  /health: $SENT_health (2xx $OK_health);  /health/ready: $SENT_ready (2xx $OK_ready)"
count_line "outage:  PostgreSQL down $(elapsed "$T_DOWN" "$T_START0")s (stop took $(elapsed "$T_STOP0" "$T_DOWN")s);" \
    "inside it: writes $DURING_write, reads $DURING_read, /health $DURING_health, /health/ready $DURING_ready; max latency ${MAXT_DURING}s"
count_line "recovery: ${RECOVERY_S}s after PostgreSQL was up (server not restarted); failures overall: $GOOD503 conforming 503, $BAD other"
finish
