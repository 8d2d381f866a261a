#!/usr/bin/env bash
# Writes the benchmark report (Markdown) and chart (PNG, with gnuplot) from what run.sh recorded.
# Usage: bench/lib/report.sh META_JSON RESULTS_JSONL OUT_MD [OUT_PNG]
# (run.sh calls it; run it again by hand to redo a report from bench/work/meta.json and results.jsonl.)
set -euo pipefail

META=$1 RESULTS=$2 OUT_MD=$3 OUT_PNG=${4:-}

# jq helpers shared by the tables.
JQ_LIB='
def r(n): . as $x | pow(10; n) as $p | ($x * $p | round) / $p;
def ms: if . == null then "–" else (. / 1000) as $m
        | if $m < 10 then ($m | r(2) | tostring) elif $m < 100 then ($m | r(1) | tostring) else ($m | round | tostring) end end;
def int: floor | tostring;
def errors: (.socket_errors | .connect + .read + .write + .timeout) as $sock
        | (.non2xx + $sock) as $all
        | if $all == 0 then "0"
          else ($all | tostring) + " ("
               + ([(.statuses | to_entries[] | "\(.key)×\(.value)"),
                   (.socket_errors | to_entries[] | select(.value > 0) | "\(.key)×\(.value)")] | join(", ")) + ")"
          end;
def pct: if . == null then "–" else (. * 100 | round | tostring) + " %" end;
def equivalent: {get: "by_id", list: "first_page", keyset: "keyset", list1000: "list_1000", filter: "filtered",
                 create: "insert", display: "display", move: "move", sync_full: "sync_page"}[.];
'

api_table() {
    jq -rs "$JQ_LIB"'
        ([.[] | select(.kind == "pgbench")]) as $db
        | ([.[] | select(.kind == "api" and .phase == "measure" and .scenario == "live" and (.open_run | not))]) as $live
        | [.[] | select(.kind == "api" and .phase == "measure")][]
        | (.scenario | equivalent) as $eq
        | .conns as $c
        | ([$db[] | select(.script == $eq and .clients == $c) | .tps] | first) as $same
        | ([$db[] | select(.script == $eq) | .tps] | max) as $ceiling
        | ([$live[] | select(.conns == $c) | .rps] | first) as $live_rps
        | "| \(.scenario)\(if .open_run then " (open connections)" else "" end) | \(.conns) | \(.rps | int) "
          + "| \(if $live_rps and (.open_run | not) then (.rps / $live_rps | pct) else "–" end) "
          + "| \(.latency_us.p50 | ms) | \(.latency_us.p95 | ms) "
          + "| \(.latency_us.p99 | ms) | \(.latency_us.max | ms) | \(errors) "
          + "| \(if .requests > 0 then (.server_cpu_s / .requests * 1e6 | round | tostring) else "–" end) "
          + "| \(if .requests > 0 then (.db_cpu_s / .requests * 1e6 | round | tostring) else "–" end) "
          + "| \(.peak_rss_kb / 1024 | round) "
          + "| \(if $same then (.rps / $same | pct) + " of \($same | int)" else "–" end) "
          + "| \(if $ceiling then (.rps / $ceiling | pct) + " of \($ceiling | int)" else "–" end) |"' "$RESULTS"
}

# Per scenario at 32 connections (or the concurrency nearest it): what one request costs the server and the
# database, and its throughput against live and against the database's ceiling.
cost_table() {
    jq -rs "$JQ_LIB"'
        ([.[] | select(.kind == "pgbench")]) as $db
        | [.[] | select(.kind == "api" and .phase == "measure" and (.open_run | not))] as $api
        | ($api | map(.conns) | unique | min_by(if . >= 32 then . - 32 else (32 - .) * 2 end)) as $c
        | ([$api[] | select(.scenario == "live" and .conns == $c) | .rps] | first) as $live_rps
        | ([$api[] | select(.scenario == "live" and .conns == $c) | .server_cpu_s / .requests] | first) as $live_cpu
        | $api[] | select(.conns == $c)
        | (.scenario | equivalent) as $eq
        | ([$db[] | select(.script == $eq) | .tps] | max) as $ceiling
        | (.server_cpu_s / .requests) as $cpu
        | "| \(.scenario) | \($c) | \($cpu * 1e6 | round) "
          + "| \(if $live_cpu then ($cpu / $live_cpu | r(1) | tostring) + "×" else "–" end) "
          + "| \(.db_cpu_s / .requests * 1e6 | round) | \(.rps | int) "
          + "| \(if $live_rps then (.rps / $live_rps | pct) else "–" end) "
          + "| \(if $ceiling then (.rps / $ceiling | pct) + " of \($ceiling | int)" else "–" end) "
          + "| \(.latency_us.p99 | ms) |"' "$RESULTS"
}

pgbench_table() {
    jq -rs "$JQ_LIB"'
        .[] | select(.kind == "pgbench")
        | "| \(.script) | \(.clients) | \(.tps | int) | \(.latency_us.p50 | ms) | \(.latency_us.p95 | ms) "
          + "| \(.latency_us.p99 | ms) | \(.latency_us.max | ms) | \(.failed) |"' "$RESULTS"
}

m() { jq -r "$1" "$META"; }

{
    echo "# Todo API benchmark, $(m .date)$([[ $(m .quick) == 1 ]] && echo ' (quick)')"
    echo
    echo "\`$(m .command)\` — server jar \`$(m .jar)\` (sha256 $(m .jar_sha)…, built from \`$(m .jar_commit)\`),"
    echo "bench scripts at \`$(m .bench_commit)\`;"
    echo "$(m .warmup) s warm-up then $(m .duration) s measured per point, in $(m .elapsed) s overall."
    if [[ -n $(m '.profile // ""') ]]; then
        echo
        echo "Profiled: async-profiler sampled the server's CPU over every measured point (flame graphs in"
        echo "\`$(m .profile)\`), which adds its own small cost to the server's CPU figures."
    fi
    echo
    echo "## Machine"
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| CPU | $(m .cpu), $(m .nproc) CPUs (\`nproc\`) |"
    echo "| RAM | $(m .ram) |"
    echo "| OS, kernel | $(m .os), $(m .kernel) |"
    echo "| Java | $(m .java)$([[ -n $(m .java_opts) ]] && echo ", options \`$(m .java_opts)\`") |"
    echo "| PostgreSQL | $(m .pg | cut -d, -f1); $(m .pg_settings) |"
    echo "| Load generator | $(m .wrk) (at most $(m .wrk_threads) threads), pgbench |"
    echo "| Load average (1, 5, 15 min) | $(m .load_start) at start, $(m .load_end) at the end |"
    echo
    echo "Client (wrk, pgbench), server and PostgreSQL share this machine, so every figure includes the load"
    echo "generator's own CPU use; a load average above the CPU count at the start means other work was running."
    echo
    echo "## Setup"
    echo
    echo "- Data: $(m .users) users × $(m .tasks_per_user) tasks = $(m .tasks) tasks ($(m .completed) completed),"
    echo "  $(m .tags) tags, $(m .task_tags) task–tag links; database $(m .db_size). Seeded with SQL in $(m '.seed_ms / 100 | round / 10') s."
    echo "- Server start to ready (\`GET /health\` 200), external PostgreSQL: **$(m .ready_seeded) ms** on the seeded"
    echo "  database ($(m .ready_empty) ms for the very first start, which runs the Flyway migrations)."
    if [[ $(m '.ready_aot // "null"') != null ]]; then
        echo "- With the JDK AOT cache (\`ops/aot-cache.sh\`; the server measured below was started this way): **$(m .ready_aot) ms**."
    fi
    echo "- Server: default settings but \`AUTH_RATE_LIMIT_PER_MINUTE=1000000\`$([[ -n $(m .server_env) ]] && echo " and \`$(m .server_env)\`"); \`DATABASE_POOL_SIZE\` $(m .pool)."
    echo "  Requests carry access tokens minted for the seeded users; each picks a random user and random task."
    echo
    if jq -se 'any(.[]; .kind == "api" and .phase == "measure")' "$RESULTS" >/dev/null; then
        echo "## Cost per request"
        echo
        echo "Each scenario at 32 connections (or the concurrency nearest it): the server's CPU per request, also as a"
        echo "multiple of \`live\`'s (the HTTP stack and per-request machinery alone), PostgreSQL's CPU per request, and"
        echo "throughput as a fraction of \`live\`'s and of pgbench's best figure for the same SQL (the database's ceiling)."
        echo
        echo "| Scenario | Conns | Server CPU µs / req | × live | DB CPU µs / req | req/s | vs live | vs DB ceiling | p99 ms |"
        echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|"
        cost_table
        echo
    fi
    echo "## API (wrk)"
    echo
    echo "Errors are responses other than 2xx plus socket errors (connect/read/write/timeout). CPU µs per"
    echo "request: user + system time of the server process (and of PostgreSQL's processes) over the measured"
    echo "window divided by the requests. Peak RSS: the server's \`VmHWM\`, reset before each point."
    echo "\"vs live\": the scenario's req/s as a fraction of \`live\`'s (GET /health/live: no token, no database) at the"
    echo "same concurrency."
    echo "\"vs pgbench\": the API's req/s as a fraction of pgbench's tx/s for the same SQL at the same"
    echo "concurrency, and of the best pgbench figure at any concurrency (the database's ceiling)."
    echo
    echo "| Scenario | Conns | req/s | vs live | p50 ms | p95 ms | p99 ms | max ms | Errors | Server CPU µs / req | DB CPU µs / req | Peak RSS MB | vs pgbench, same conns | vs DB ceiling |"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|"
    api_table
    echo
    echo "Scenarios: \`live\` GET /health/live (no token, no database); \`get\` GET /api/v1/tasks/{id}; \`list\` first page of 50; \`keyset\` a page of 50 after a cursor;"
    echo "\`list1000\` limit=1000; \`filter\` status and priority; \`create\` POST; \`toggle\` PATCH …/complete; \`put\` PUT;"
    echo "\`delete_create\` DELETE of a task the thread created, then POST, alternating; \`me\` GET /api/v1/auth/me;"
    echo "\`mix\` 60 % list, 20 % get, 10 % create, 5 % merge patch, 5 % delete;"
    echo "\`display\` GET /api/v1/lists/{id}/tasks?limit=50, a page of a Projects list (subtasks, 4 levels) in display"
    echo "order, 1 in 10 the first page, the others after a cursor; \`move\` POST /api/v1/tasks/{id}/move of a Projects task"
    echo "after or before (alternately) a random sibling;"
    echo "\`sync_full\` GET /api/v1/sync?limit=1000, a random page (the first, or one after a recorded sync_token) of a"
    echo "random sampled user's full sync; \`sync_incremental\` GET /api/v1/sync?token=…, the changes since a token taken"
    echo "before 100 title PATCHes of the user's tasks (the same page every time)."
    jq -rs '[.[] | select(.kind == "api" and .phase == "measure" and .open_run)][]
        | "\"\(.scenario) (open connections)\" holds \(.conns) keep-alive connections open at once"
          + (if .established_midway then " (the server had \(.established_midway) established half-way through)" else "" end) + "."' "$RESULTS"
    echo
    if jq -se 'any(.[]; .kind == "sync_prep")' "$RESULTS" >/dev/null; then
        echo "## Sync"
        echo
        jq -rs '.[] | select(.kind == "sync_prep" and .scenario == "sync_full")
            | "- sync_full: \(.users) sampled users; a full sync is \(.pages_per_user) pages of \(.limit) (\(.entries_per_user | round) changes on average);"
              + " walked once with curl before the measurement, one page at a time, in \(.curl_walk_s_per_user * 1000 | round) ms per user."' "$RESULTS"
        jq -rs '.[] | select(.kind == "sync_prep" and .scenario == "sync_incremental")
            | "- sync_incremental: \(.users) sampled users, \(.changes_per_user) changes each (title PATCHes); the page after the"
              + " token holds \(.entries_per_page) changes (the tasks, their list and their tags), limit \(.limit), has_more false."' "$RESULTS"
        echo
        echo "A whole full sync of one account, derived: pages per account × the mean latency of a page at that"
        echo "concurrency (what one client paging alone would wait, at that load); and full syncs per second the server"
        echo "gives all clients together (req/s ÷ pages per account)."
        echo
        echo "| Scenario | Conns | req/s | mean ms | p99 ms | pages / account | full sync s / account | full syncs / s |"
        echo "|---|--:|--:|--:|--:|--:|--:|--:|"
        jq -rs "$JQ_LIB"'
            ([.[] | select(.kind == "sync_prep" and .scenario == "sync_full") | .pages_per_user] | first) as $pages
            | .[] | select(.kind == "api" and .phase == "measure" and (.scenario | startswith("sync_")))
            | (if .scenario == "sync_full" then $pages else null end) as $p
            | "| \(.scenario) | \(.conns) | \(.rps | int) | \(.latency_us.mean | ms) | \(.latency_us.p99 | ms) | \($p // "–") "
              + "| \(if $p then (.latency_us.mean * $p / 1e6 | r(2) | tostring) else "–" end) "
              + "| \(if $p then (.rps / $p | r(1) | tostring) else "–" end) |"' "$RESULTS"
        echo
    fi
    if jq -se 'any(.[]; .kind == "pgbench")' "$RESULTS" >/dev/null; then
        echo "## Database ceiling (pgbench)"
        echo
        echo "The statements the server sends for the request, in the same transaction shape (\`bench/sql/pgbench/\`),"
        echo "prepared, from pgbench clients connected directly (the server uses a pool of $(m .pool | cut -d' ' -f1) connections)."
        echo
        echo "| Script | Clients | tx/s | p50 ms | p95 ms | p99 ms | max ms | Failed |"
        echo "|---|--:|--:|--:|--:|--:|--:|--:|"
        pgbench_table
        echo
    fi
    echo "## Checks"
    echo
    if [[ $(m .write_check) != null ]]; then
        jq -r '.write_check | "- No lost or duplicated writes: " + (if .ok then "**OK**" else "**FAILED**" end)
            + ". wrk saw \(.wrk_2xx) creates answered 2xx (warm-ups included) and recorded \(.titles_seen) titles; the"
            + " database holds \(.rows) tasks of the create scenario: \(.lost) lost, \(.duplicated) duplicated,"
            + " \(.unacknowledged) created by requests still in flight when wrk stopped (wrk abandoned \(.in_flight_at_stop))."' "$META"
    else
        echo "- No lost or duplicated writes: not checked (the create scenario did not run)."
    fi
    echo "- Server log: $(m .server_log_errors) ERROR lines ($(m .server_log_broken_pipes) of them \"Broken pipe\": responses to"
    echo "  requests wrk abandoned when a point ended) and $(m .server_log_warnings) WARN lines; final RSS $(m '.rss_final / 1024 | round') MB."
    if [[ -n $OUT_PNG ]]; then
        echo
        echo "## Chart"
        echo
        echo "![Throughput, p99 latency and server CPU per request against concurrency]($(basename "$OUT_PNG"))"
    fi
} >"$OUT_MD"

# ------------------------------------------------------------------------------------------------ chart
if [[ -n $OUT_PNG ]]; then
    DATA_DIR=$(mktemp -d)
    trap 'rm -rf "$DATA_DIR"' EXIT
    plots_rps=() plots_p99=() plots_cpu=()
    for scenario in $(jq -rs '[.[] | select(.kind == "api" and .phase == "measure" and (.open_run | not)) | .scenario] | unique[]' "$RESULTS"); do
        jq -rs --arg s "$scenario" '[.[] | select(.kind == "api" and .phase == "measure" and .scenario == $s and (.open_run | not))] | sort_by(.conns)[]
            | "\(.conns) \(.rps) \(.latency_us.p99 / 1000) \(if .requests > 0 then .server_cpu_s / .requests * 1e6 else "NaN" end)"' "$RESULTS" >"$DATA_DIR/$scenario.dat"
        plots_rps+=("'$DATA_DIR/$scenario.dat' using 1:2 with linespoints lw 2 pt 7 title '$scenario'")
        plots_p99+=("'$DATA_DIR/$scenario.dat' using 1:3 with linespoints lw 2 pt 7 title '$scenario'")
        plots_cpu+=("'$DATA_DIR/$scenario.dat' using 1:4 with linespoints lw 2 pt 7 title '$scenario'")
    done
    jq -rs '.[] | select(.kind == "api" and .phase == "measure" and .open_run) | "\(.conns) \(.rps) \(.latency_us.p99 / 1000) \(.scenario)"' \
        "$RESULTS" >"$DATA_DIR/open.dat"
    if [[ -s $DATA_DIR/open.dat ]]; then
        title="$(cut -d' ' -f4 "$DATA_DIR/open.dat" | head -1), open connections"
        plots_rps+=("'$DATA_DIR/open.dat' using 1:2 with points pt 9 ps 2 lc rgb 'black' title '$title'")
        plots_p99+=("'$DATA_DIR/open.dat' using 1:3 with points pt 9 ps 2 lc rgb 'black' title '$title'")
    fi
    join() { local IFS=,; echo "$*"; }
    xtics=$(jq -rs '[.[] | select(.kind == "api" and .phase == "measure") | .conns] | unique | map(tostring) | join(", ")' "$RESULTS")
    xrange=$(jq -rs '[.[] | select(.kind == "api" and .phase == "measure") | .conns] | "\(min / 1.4):\(max * 1.4)"' "$RESULTS")
    gnuplot 2>&1 <<EOF | { grep -v 'empty x range' >&2 || true; }
set terminal pngcairo size 1200,1600 font "sans,11" noenhanced
set output '$OUT_PNG'
set multiplot layout 3,1 title "Todo API: throughput, p99 latency and server CPU per request against concurrency ($(m .date)$([[ $(m .quick) == 1 ]] && echo ', quick'))"
set logscale x 2
set xtics ($xtics)
set xrange [$xrange]
set offsets 0, 0, graph 0.05, 0
set xlabel "connections"
set grid
set key outside right top
set ylabel "requests/s"
set yrange [0:*]
plot $(join "${plots_rps[@]}")
set ylabel "p99 latency (ms)"
set logscale y 10
set yrange [*:*]
plot $(join "${plots_p99[@]}")
set ylabel "server CPU µs per request"
plot $(join "${plots_cpu[@]}")
unset multiplot
EOF
fi
