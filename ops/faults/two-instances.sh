#!/usr/bin/env bash
# Fault drill: two server instances on one PostgreSQL, as behind a load balancer.
#
# A and B share the database and JWT_SECRET, with AUTH_RATE_LIMIT_STORE=postgres and
# AUTH_RATE_LIMIT_PER_MINUTE=5; both start at the same time (their Flyway migrations race). Checks:
#   - an access token minted by a login on A is accepted by B (and a refreshed one too);
#   - after a refresh on A, the OLD refresh token presented to B is 401 REFRESH_TOKEN_REUSED, and the
#     rotated one is then refused as well (the whole family is revoked, across instances);
#   - the login rate limit holds across them: 5 logins alternating A/B succeed, the 6th (on B) and the 7th
#     (on A) get 429 RATE_LIMIT_EXCEEDED with Retry-After.
#
# Usage: ops/faults/two-instances.sh [--jar PATH] ...  (--help)
set -uo pipefail
DRILL=two-instances
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LIMIT=5

usage() {
    cat <<EOF
Usage: ops/faults/two-instances.sh [options]

$COMMON_USAGE
EOF
}

while (($#)); do
    common_option "$@" || { usage >&2; exit 2; }
    shift "$SHIFT_BY"
done

setup
pg_setup
SERVER_ENV=(DATABASE_URL="$DATABASE_URL_PRIVATE" JWT_SECRET="$(random_secret)"
    AUTH_RATE_LIMIT_STORE=postgres AUTH_RATE_LIMIT_PER_MINUTE=$LIMIT)
log "starting A and B together on one database"
start_server A "${SERVER_ENV[@]}"
start_server B "${SERVER_ENV[@]}"
wait_ready A
wait_ready B
check_eq "$(psql_todo "SELECT count(*) FROM flyway_schema_history WHERE success")" \
    "$(psql_todo "SELECT count(DISTINCT version) FROM flyway_schema_history WHERE version IS NOT NULL")" \
    "both migrated the same database at once: each migration applied once"

EMAIL="two-$RUN_ID@example.com"
PASSWORD="fault drill password"
register_user A "$EMAIL"
LOGINS=()
login() { # login SERVER: one login; appends "SERVER:STATUS" to LOGINS
    req POST "$(url "$1" /api/v1/auth/login)" -H 'Content-Type: application/json' \
        -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
    LOGINS+=("$1:$R_STATUS")
    RATE_HEADER=$(grep -i '^ratelimit:' <<<"$R_HEADERS" | tr -d '\r' | cut -d' ' -f2-)
}
refresh() { # refresh SERVER TOKEN
    req POST "$(url "$1" /api/v1/auth/refresh)" -H 'Content-Type: application/json' -d "{\"refresh_token\":\"$2\"}"
}
me() { # me SERVER ACCESS_TOKEN
    req GET "$(url "$1" /api/v1/auth/me)" -H "Authorization: Bearer $2"
}

echo
log "tokens across instances"
login A
check_eq "$R_STATUS" 200 "login #1 on A"
T1=$(jq -r .access_token <<<"$R_BODY") R1=$(jq -r .refresh_token <<<"$R_BODY")
me B "$T1"
check_eq "$R_STATUS $(jq -r .id <<<"$R_BODY" 2>/dev/null)" "200 $USER_ID" "B accepts the access token minted by A (GET /auth/me: same user)"

refresh A "$R1"
check_eq "$R_STATUS" 200 "refresh on A rotates the refresh token"
T2=$(jq -r .access_token <<<"$R_BODY") R2=$(jq -r .refresh_token <<<"$R_BODY")
me B "$T2"
check_eq "$R_STATUS" 200 "B accepts the access token of the refresh on A"

refresh B "$R1"
REUSE="$R_STATUS $R_CODE"
check_eq "$REUSE" "401 REFRESH_TOKEN_REUSED" "the old refresh token presented to B: 401 REFRESH_TOKEN_REUSED"
refresh A "$R2"
ROTATED="$R_STATUS $R_CODE"
check_eq "$R_STATUS" 401 "the rotated refresh token is refused afterwards on A too ($ROTATED): the family is revoked"
refresh B "$R2"
check_eq "$R_STATUS" 401 "... and on B ($R_STATUS $R_CODE)"
# The login's family (registering started another session, which stays alive).
FAMILY="SELECT family_id FROM refresh_tokens WHERE token_hash = sha256(convert_to('$R1', 'UTF8'))"
LIVE=$(psql_todo "SELECT count(*) FROM refresh_tokens WHERE family_id = ($FAMILY) AND revoked_at IS NULL")
TOTAL_RT=$(psql_todo "SELECT count(*) FROM refresh_tokens WHERE family_id = ($FAMILY)")
check_eq "$LIVE/$TOTAL_RT" "0/2" "both refresh tokens of the login's session are revoked in the database (unrevoked/all)"

echo
log "login rate limit across instances ($LIMIT per minute, shared in PostgreSQL)"
RATES=()
for server in B A B A; do
    login "$server"
    RATES+=("$server:${RATE_HEADER:-?}")
done
OK5=0
for entry in "${LOGINS[@]}"; do [[ $entry == *:200 ]] && OK5=$((OK5 + 1)); done
check_eq "$OK5" "$LIMIT" "logins 1-$LIMIT alternating A/B all succeeded (${LOGINS[*]})"
login B
check_eq "$R_STATUS $R_CODE" "429 RATE_LIMIT_EXCEEDED" "login #6 on B is refused: 429 RATE_LIMIT_EXCEEDED"
check_ge "${R_RETRY:-0}" 1 "with Retry-After (${R_RETRY:-none} s)"
check_le "${R_RETRY:-999}" 60 "Retry-After within the one-minute window"
login A
check_eq "$R_STATUS $R_CODE" "429 RATE_LIMIT_EXCEEDED" "login #7 on A is refused too (Retry-After ${R_RETRY:-none} s)"
BUCKETS=$(psql_todo "SELECT count(*) FROM rate_limit_buckets WHERE id LIKE 'login:%'")
check_eq "$BUCKETS" 1 "one shared login bucket in rate_limit_buckets"

count_line "logins: ${#LOGINS[@]} sent (${LOGINS[*]}), $OK5 acknowledged; RateLimit headers of logins 2-5: ${RATES[*]}"
count_line "refresh: old token on B -> $REUSE; rotated token on A -> $ROTATED; refresh tokens of the session in DB: $TOTAL_RT, unrevoked: $LIVE"
finish
