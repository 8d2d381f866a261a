-- GET /api/v1/tasks: the first page of 50 (the default), newest first.
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

b.install({
    request = function()
        local u = b.user()
        return wrk.format("GET", "/api/v1/tasks?limit=50", b.headers(u))
    end,
})
