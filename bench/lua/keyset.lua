-- GET /api/v1/tasks?cursor=...: a keyset page of 50 somewhere in the user's tasks (cursors built by run.sh).
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

b.install({
    request = function()
        local u = b.user()
        return wrk.format("GET", "/api/v1/tasks?limit=50&cursor=" .. b.cursor(u), b.headers(u))
    end,
})
