#!/usr/bin/env bash
# Runs every fault drill in sequence and summarises them; exit 0 only when all pass.
#
# Usage: ops/faults/run-all.sh [--jar PATH] [--keep] [--only "db-outage crash-restart ..."]
#   Each drill's full output is also kept in /tmp/faults-work/run-all/<drill>.out.
set -uo pipefail
FAULTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DRILLS="db-outage crash-restart graceful-shutdown two-instances stream-failover webhook-failover"
PASS_ON=()

while (($#)); do
    case $1 in
        --jar) PASS_ON+=(--jar "$2"); shift 2 ;;
        --keep) PASS_ON+=(--keep); shift ;;
        --only) DRILLS=$2; shift 2 ;;
        -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run-all: unknown option $1" >&2; exit 2 ;;
    esac
done

OUT_DIR=/tmp/faults-work/run-all
mkdir -p "$OUT_DIR"
declare -A VERDICT SECS
FAILED=0
trap 'echo; echo "run-all: interrupted"; exit 130' INT TERM
for drill in $DRILLS; do
    [[ -x $FAULTS_DIR/$drill.sh ]] || { echo "run-all: no drill $drill" >&2; exit 2; }
    echo
    echo "######## $drill"
    start=$SECONDS
    "$FAULTS_DIR/$drill.sh" "${PASS_ON[@]}" 2>&1 | tee "$OUT_DIR/$drill.out"
    status=${PIPESTATUS[0]}
    SECS[$drill]=$((SECONDS - start))
    case $status in
        0) VERDICT[$drill]=PASS ;;
        1) VERDICT[$drill]=FAIL; FAILED=$((FAILED + 1)) ;;
        *) VERDICT[$drill]="ERROR($status)"; FAILED=$((FAILED + 1)) ;;
    esac
done

echo
echo "======== fault drills: $([[ $FAILED == 0 ]] && echo PASS || echo "FAIL ($FAILED failed)")"
for drill in $DRILLS; do
    printf '%-18s %-10s %4ss\n' "$drill" "${VERDICT[$drill]}" "${SECS[$drill]}"
    # the drill's counts and failed checks: the lines after its "== drill: VERDICT" line
    sed -n '/^== '"$drill"': /,$p' "$OUT_DIR/$drill.out" | tail -n +2 | grep -v -E '^[0-9:]{8}  work dir kept' | sed 's/^/  /'
done
echo "outputs: $OUT_DIR"
((FAILED == 0))
