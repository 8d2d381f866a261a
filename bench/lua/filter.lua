-- GET /api/v1/tasks?status=...&priority=...: a filtered first page.
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

local statuses = { "pending", "completed" }
b.install({
    request = function()
        local u = b.user()
        return wrk.format("GET", "/api/v1/tasks?status=" .. statuses[math.random(2)] .. "&priority=" .. b.priority(),
            b.headers(u))
    end,
})
