-- GET /api/v1/auth/me: token check plus one primary-key read.
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

b.install({
    request = function()
        local u = b.user()
        return wrk.format("GET", "/api/v1/auth/me", b.headers(u))
    end,
})
