#!/usr/bin/env bash
# Fault drill: the instance holding a client's event stream dies (kill -9); the client reconnects to the other
# instance with Last-Event-ID and misses nothing.
#
# Two servers, A and B, on one private PostgreSQL cluster, polling change numbers only hourly (so only NOTIFY and
# the resume can deliver). A client (curl) streams GET /api/v1/events from A. Checks:
#   - a write served by B reaches the stream on A (NOTIFY between instances);
#   - after A is killed, a write served by B while no stream is open is replayed when the client reconnects to B with
#     the Last-Event-ID of the last event it got, and nothing it had already got comes again;
#   - a later write reaches the new stream live.
#
# Usage: ops/faults/stream-failover.sh [--jar PATH] ...  (--help)
set -uo pipefail
DRILL=stream-failover
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    cat <<EOF
Usage: ops/faults/stream-failover.sh [options]
$COMMON_USAGE
EOF
}

while (($#)); do
    common_option "$@" || { usage >&2; exit 2; }
    shift "$SHIFT_BY"
done

setup
pg_setup
SERVER_ENV=(DATABASE_URL="$DATABASE_URL_PRIVATE" JWT_SECRET="$(random_secret)" TODO_EVENTS_POLL=1h)
start_server A "${SERVER_ENV[@]}"
wait_ready A
start_server B "${SERVER_ENV[@]}"
wait_ready B
register_user A "stream-$RUN_ID@example.com"

# until_in FILE PATTERN: waits up to 15 s for the pattern in the file (status 0 when it came).
until_in() {
    local i
    for ((i = 0; i < 150; i++)); do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# create SERVER TITLE: a task through that server; CREATED is its id.
create() {
    req POST "$(url "$1" /api/v1/tasks)" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -d "$(create_body "$2")"
    CREATED=$(jq -r '.id // empty' <<<"$R_BODY")
}

ON_A=$WORK/stream-a.txt
curl -sN -H "Authorization: Bearer $TOKEN" -H 'Accept: text/event-stream' "$(url A /api/v1/events)" >"$ON_A" 2>/dev/null &
STREAM_A=$!
if until_in "$ON_A" ':connected'; then pass "a stream is open on A"; else fail "no stream on A"; fi

create B "written on B"
FIRST=$CREATED
check_eq "$R_STATUS" 201 "a task created through B"
if until_in "$ON_A" "$FIRST"; then pass "the stream on A named B's write"; else fail "the stream on A never named B's write"; fi
LAST_ID=$(awk '/^id:/ { sub(/^id:/, ""); id = $0 } END { print id }' "$ON_A")
if [[ -n $LAST_ID ]]; then pass "the client kept the last event's id"; else fail "no event id on A's stream"; fi

KILLED=${SERVER_PID[A]}
kill -KILL "$KILLED"
wait "$KILLED" 2>/dev/null
SERVER_PID[A]=""
wait "$STREAM_A" 2>/dev/null
log "A killed (pid $KILLED); its stream ended"

create B "written while the client had no stream"
MISSED=$CREATED
check_eq "$R_STATUS" 201 "a task created through B while no stream is open"

ON_B=$WORK/stream-b.txt
curl -sN -H "Authorization: Bearer $TOKEN" -H 'Accept: text/event-stream' -H "Last-Event-ID: $LAST_ID" \
    "$(url B /api/v1/events)" >"$ON_B" 2>/dev/null &
STREAM_B=$!
if until_in "$ON_B" "$MISSED"; then pass "reconnected to B with Last-Event-ID: the missed write is replayed"
else fail "the missed write never came on B's stream"; fi
check_eq "$(grep -c -- "$FIRST" "$ON_B")" 0 "what the client had already got does not come again"

create B "written after the reconnection"
LATER=$CREATED
if until_in "$ON_B" "$LATER"; then pass "a later write reaches the new stream live"; else fail "the later write never came"; fi
kill "$STREAM_B" 2>/dev/null
wait "$STREAM_B" 2>/dev/null

count_line "events on A: $(grep -c '^event:' "$ON_A"), on B: $(grep -c '^event:' "$ON_B"); B resumed after $LAST_ID"
finish
