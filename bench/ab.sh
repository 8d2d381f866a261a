#!/usr/bin/env bash
# Paired comparison of server variants (jars, JVM options, environment) on one seeded database: each round starts
# every variant in turn, warms it up and measures the same scenarios, so slow drifts of a shared machine hit all
# variants alike. Prints, per scenario and variant, the median (and range) of the server's CPU per request and of
# req/s over the rounds. For tuning decisions (bench/results/<date>-tuning.md); the full report is bench/run.sh's.
#
# Usage: bench/run.sh --hold [--users N --tasks-per-user N ...] &   # seeds, writes bench/work/hold.env, keeps PostgreSQL
#        bench/ab.sh [options] NAME=JAR[,JVM options...][,KEY=VALUE env...] NAME=...
# e.g.   bench/ab.sh --scenarios "live get" base=/tmp/a.jar g1xms=/tmp/a.jar,-Xms256m
#
# Options: --rounds N (3), --warmup S (per scenario, once, 10), --duration S (10), --conns N (32), --jvm-warmup S (mix
# once after the start, 60), --scenarios "a b" (live get list me), --hold-env FILE (bench/work/hold.env),
# --port N (18090), --out FILE (the raw results, JSON lines; default bench/work/ab.jsonl).
# Every variant also gets @server/jvm.options first (BENCH_JAVA_OPTS overrides it, as in run.sh).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
ROUNDS=3 WARMUP=10 DURATION=10 CONNS=32 JVM_WARMUP=60 SCENARIOS="live get list me" PORT=18090
HOLD_ENV=$BENCH_DIR/work/hold.env OUT=$BENCH_DIR/work/ab.jsonl
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS-@$REPO_DIR/server/jvm.options}
VARIANTS=()
while (($#)); do
    case $1 in
        --rounds) ROUNDS=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --conns) CONNS=$2; shift ;;
        --jvm-warmup) JVM_WARMUP=$2; shift ;;
        --scenarios) SCENARIOS=$2; shift ;;
        --hold-env) HOLD_ENV=$2; shift ;;
        --port) PORT=$2; shift ;;
        --out) OUT=$2; shift ;;
        -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
        *=*) VARIANTS+=("$1") ;;
        *) echo "ab: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
((${#VARIANTS[@]} >= 1)) || { echo "ab: name at least one variant NAME=JAR[,options]" >&2; exit 2; }
[[ -f $HOLD_ENV ]] || { echo "ab: no $HOLD_ENV: start bench/run.sh --hold first" >&2; exit 2; }
# shellcheck disable=SC1090
source "$HOLD_ENV"
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA=$JAVA_HOME/bin/java; else JAVA=$(command -v java); fi
CLK_TCK=$(getconf CLK_TCK)
WORK=$(dirname "$HOLD_ENV")/ab
mkdir -p "$WORK"
: >"$OUT"
PIDS=()
stop_servers() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
trap stop_servers EXIT
ticks() { local s; s=$(cat "/proc/$1/stat"); s=${s##*) }; awk '{print $12 + $13}' <<<"$s"; }

wrk_point() { # port scenario seconds label
    BENCH_DATA=$DATA BENCH_LUA_DIR=$LUA_DIR BENCH_RUN=ab$$ BENCH_POINT=$4 BENCH_SEEN_DIR=$WORK \
        wrk -t"$(nproc)" -c"$CONNS" -d"$3s" --timeout 10s -s "$LUA_DIR/$2.lua" "http://127.0.0.1:$1" 2>&1 |
        sed -n 's/^BENCH_RESULT //p' | head -1
}

# Every variant runs at once on its own port (idle ones cost next to nothing), each warmed up once: the JIT needs a
# minute or more of load, far more than a round.
NAMES=() PORTS=()
i=0
for variant in "${VARIANTS[@]}"; do
    name=${variant%%=*} spec=${variant#*=} port=$((PORT + 2 * i))
    IFS=, read -r -a parts <<<"$spec"
    jar=${parts[0]} jvm=() env=()
    for p in "${parts[@]:1}"; do if [[ $p == -* ]]; then jvm+=("$p"); else env+=("$p"); fi; done
    # shellcheck disable=SC2086
    env -i PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8 TZ=UTC PORT="$port" MANAGEMENT_PORT=$((port + 1)) \
        DATABASE_URL="$DATABASE_URL" JWT_SECRET="$JWT_SECRET" AUTH_RATE_LIMIT_PER_MINUTE=1000000 \
        TODO_DATA_DIR="$WORK/data-$name" TODO_WEBHOOKS_WORKER=false "${env[@]}" \
        "$JAVA" $BENCH_JAVA_OPTS "${jvm[@]}" -jar "$jar" >"$WORK/$name.log" 2>&1 &
    PIDS+=($!) NAMES+=("$name") PORTS+=("$port")
    until curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" 2>/dev/null; do
        kill -0 "${PIDS[-1]}" 2>/dev/null || { tail -20 "$WORK/$name.log" >&2; exit 1; }
        sleep 0.2
    done
    i=$((i + 1))
done
for ((k = 0; k < ${#NAMES[@]}; k++)); do
    echo "warming ${NAMES[k]} up: mix ${JVM_WARMUP} s, then ${WARMUP} s of each scenario" >&2
    wrk_point "${PORTS[k]}" mix "$JVM_WARMUP" warm >/dev/null
    for scenario in $SCENARIOS; do wrk_point "${PORTS[k]}" "$scenario" "$WARMUP" warm >/dev/null; done
done

for ((round = 1; round <= ROUNDS; round++)); do
    for scenario in $SCENARIOS; do
        for ((k = 0; k < ${#NAMES[@]}; k++)); do
            wrk_point "${PORTS[k]}" "$scenario" 2 warm >/dev/null
            c0=$(ticks "${PIDS[k]}")
            result=$(wrk_point "${PORTS[k]}" "$scenario" "$DURATION" "${NAMES[k]}-$scenario-r$round")
            c1=$(ticks "${PIDS[k]}")
            jq -c --arg v "${NAMES[k]}" --arg s "$scenario" --argjson r "$round" --argjson cpu $((c1 - c0)) --argjson tck "$CLK_TCK" \
                '{variant: $v, scenario: $s, round: $r, rps: .rps, p99_ms: (.latency_us.p99 / 1000), errors: (.non2xx + .socket_errors.timeout),
                  cpu_us: (if .requests > 0 then $cpu / $tck / .requests * 1e6 else null end)}' <<<"$result" | tee -a "$OUT"
        done
    done
done
stop_servers

echo
printf '%-18s %-12s %28s %28s\n' scenario variant "server CPU µs/req: median (range)" "req/s: median (range)"
jq -rs '
    def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    group_by(.scenario)[] | group_by(.variant)[]
    | "\(.[0].scenario)\t\(.[0].variant)\t\(map(.cpu_us) | median | round) (\(map(.cpu_us) | min | round)–\(map(.cpu_us) | max | round))\t\(map(.rps) | median | round) (\(map(.rps) | min | round)–\(map(.rps) | max | round))"' "$OUT" |
    awk -F'\t' '{printf "%-18s %-12s %28s %28s\n", $1, $2, $3, $4}'
