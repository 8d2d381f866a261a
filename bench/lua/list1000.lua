-- GET /api/v1/tasks?limit=1000: the largest page.
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

b.install({
    request = function()
        local u = b.user()
        return wrk.format("GET", "/api/v1/tasks?limit=1000", b.headers(u))
    end,
})
