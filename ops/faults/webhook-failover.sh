#!/usr/bin/env bash
# Fault drill: the instance delivering an endpoint's webhooks dies (kill -9) with deliveries due; the other instance
# delivers them.
#
# Server A on a private PostgreSQL cluster; a receiver that takes 1 s per request; an endpoint for task.upserted events;
# EVENTS task creates. A's worker (db-scheduler) is delivering them one by one when B starts and A is killed with
# SIGKILL. B's scheduler finds A's execution dead (no heartbeat for a minute: 10 s x 6) and takes over. Checks:
#   - the receiver got at least one event while A delivered, and A was killed with events still to deliver;
#   - within the wait, the receiver has an event for every task created (nothing lost);
#   - a repeated delivery (at-least-once) always carries the same webhook-id for the same task.
#
# Usage: ops/faults/webhook-failover.sh [--jar PATH] [--events 12] [--wait 150] ...  (--help)
set -uo pipefail
DRILL=webhook-failover
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EVENTS=12 WAIT=150

usage() {
    cat <<EOF
Usage: ops/faults/webhook-failover.sh [options]

  --events N        tasks created, one event each (default $EVENTS)
  --wait S          seconds B may take to deliver the rest (default $WAIT)
$COMMON_USAGE
EOF
}

while (($#)); do
    case $1 in
        --events) EVENTS=$2; shift 2 ;;
        --wait) WAIT=$2; shift 2 ;;
        *) common_option "$@" || { usage >&2; exit 2; }; shift "$SHIFT_BY" ;;
    esac
done

setup
pg_setup
SERVER_ENV=(DATABASE_URL="$DATABASE_URL_PRIVATE" JWT_SECRET="$(random_secret)"
    TODO_WEBHOOKS_ALLOW_HTTP=true TODO_WEBHOOKS_ALLOWED_HOSTS=127.0.0.1/32 TODO_WEBHOOKS_RETRY_INITIAL_DELAY=1s)
start_server A "${SERVER_ENV[@]}"
wait_ready A
register_user A "webhook-$RUN_ID@example.com"

alloc_port HOOK_PORT 18960
HOOKS=$WORK/received.txt
: >"$HOOKS"
python3 -c '
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(1)
        with open(sys.argv[2], "ab") as f:
            f.write(self.headers.get("webhook-id", "").encode() + b" " + body + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
' "$HOOK_PORT" "$HOOKS" &
RECEIVER=$!
WORKER_PIDS+=("$RECEIVER")

req POST "$(url A /api/v1/webhooks)" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"url":"http://127.0.0.1:'"$HOOK_PORT"'/hook","event_types":["task.upserted"]}'
check_eq "$R_STATUS" 201 "an endpoint for task.upserted events"

IDS=()
for ((i = 1; i <= EVENTS; i++)); do
    req POST "$(url A /api/v1/tasks)" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -d "$(create_body "hooked $RUN_ID #$i")"
    [[ $R_STATUS == 201 ]] && IDS+=("$(jq -r .id <<<"$R_BODY")")
done
check_eq "${#IDS[@]}" "$EVENTS" "$EVENTS tasks created through A"

for ((i = 0; i < 100; i++)); do
    [[ $(wc -l <"$HOOKS") -ge 2 ]] && break
    sleep 0.1
done
start_server B "${SERVER_ENV[@]}"
wait_ready B
BEFORE_KILL=$(wc -l <"$HOOKS")
KILLED=${SERVER_PID[A]}
kill -KILL "$KILLED"
wait "$KILLED" 2>/dev/null
SERVER_PID[A]=""
T_KILL=$EPOCHREALTIME
log "A killed (pid $KILLED) after $BEFORE_KILL deliveries"
check_ge "$BEFORE_KILL" 1 "A delivered before it was killed"
check_le "$BEFORE_KILL" $((EVENTS - 1)) "A was killed with deliveries still due"

missing() {
    local id n=0
    for id in "${IDS[@]}"; do grep -q -- "$id" "$HOOKS" || n=$((n + 1)); done
    echo "$n"
}
for ((i = 0; i < WAIT * 2; i++)); do
    [[ $(missing) == 0 ]] && break
    sleep 0.5
done
TOOK=$(elapsed "$T_KILL")
check_eq "$(missing)" 0 "every task's event reached the receiver after the kill (B took over in ${TOOK}s)"

# At least once: a task's event may come twice, always under the same webhook-id.
SPLIT=0
for id in "${IDS[@]}"; do
    [[ $(grep -- "$id" "$HOOKS" | awk '{print $1}' | sort -u | wc -l) -le 1 ]] || SPLIT=$((SPLIT + 1))
done
check_eq "$SPLIT" 0 "a repeated delivery keeps its webhook-id"
kill "$RECEIVER" 2>/dev/null
wait "$RECEIVER" 2>/dev/null
count_line "deliveries received: $(wc -l <"$HOOKS") for $EVENTS events ($BEFORE_KILL before the kill); the rest within ${TOOK}s of it"
finish
