-- PATCH /api/v1/tasks/{id}/complete: toggle a random task (row lock, update, tags read).
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

b.install({
    request = function()
        local u = b.user()
        return wrk.format("PATCH", "/api/v1/tasks/" .. b.id(u) .. "/complete", b.headers(u))
    end,
})
