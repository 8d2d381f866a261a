-- GET /api/v1/tasks/{id}: a random task of a random user.
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

b.install({
    request = function()
        local u = b.user()
        return wrk.format("GET", "/api/v1/tasks/" .. b.id(u), b.headers(u))
    end,
})
