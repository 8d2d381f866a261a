#!/usr/bin/env bash
# Builds a start-up cache for the server with the JDK's ahead-of-time cache (JDK 25+, JEP 483/514/515):
# extracts the jar (the cache only covers plain jars on the class path, not the nested jars of the fat jar),
# then starts the application once up to a refreshed context and records what it loaded and linked.
# Start-to-ready drops from about 7-9 s to 3.5 s on the benchmark machine (bench/results/2026-11-23-tuning.md).
#
# Usage: ops/aot-cache.sh [--jar server/target/todo-api-server.jar] [--out server/target/aot]
# Then:  java @server/jvm.options -XX:AOTCache=<out>/todo-api.aot -jar <out>/todo-api-server.jar
#
# The training start uses DATABASE_URL when set (Flyway brings the schema up to date; nothing else is written),
# else the embedded PostgreSQL in a temporary data directory. Rebuild the cache whenever the jar or the JDK
# changes: the JVM ignores a cache that doesn't match (with a warning) and starts the slow way.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$REPO_DIR/server/target/todo-api-server.jar
OUT=$REPO_DIR/server/target/aot
while (($#)); do
    case $1 in
        --jar) JAR=$2; shift ;;
        --out) OUT=$2; shift ;;
        -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "Unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA=$JAVA_HOME/bin/java; else JAVA=$(command -v java); fi
version=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
((${version%%.*} >= 25)) || { echo "aot-cache: needs JDK 25 or newer (found $version at $JAVA)" >&2; exit 1; }
[[ -f $JAR ]] || { echo "aot-cache: no jar at $JAR (build it: ./mvnw -q install -DskipTests)" >&2; exit 1; }

rm -rf "$OUT"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$OUT" >/dev/null
APP_JAR=$OUT/$(basename "$JAR")

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
env=(PORT=0 MANAGEMENT_PORT=0 TODO_DATA_DIR="$scratch/data" LOGGING_LEVEL_ROOT=warn)
[[ -n ${JWT_SECRET:-} ]] || env+=(JWT_SECRET="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')")
# Same JVM options as the real start (the cache records the GC and heap settings it was made with);
# JAVA_OPTS replaces server/jvm.options when set.
# shellcheck disable=SC2086
env "${env[@]}" "$JAVA" ${JAVA_OPTS:-@$REPO_DIR/server/jvm.options} -XX:AOTCacheOutput="$OUT/todo-api.aot" \
    -Dspring.context.exit=onRefresh -jar "$APP_JAR" >"$OUT/training.log" 2>&1 ||
    { tail -20 "$OUT/training.log" >&2; echo "aot-cache: the training start failed (log: $OUT/training.log)" >&2; exit 1; }
[[ -s $OUT/todo-api.aot ]] || { echo "aot-cache: no cache written (log: $OUT/training.log)" >&2; exit 1; }
echo "AOT cache: $OUT/todo-api.aot ($(du -h "$OUT/todo-api.aot" | cut -f1)). Start with:"
echo "  java @server/jvm.options -XX:AOTCache=$OUT/todo-api.aot -jar $APP_JAR"
