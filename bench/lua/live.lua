-- GET /health/live: no token, no database. The floor of every other scenario: the HTTP stack and the per-request
-- machinery (filters, security chain, access log, metrics, request id) with nothing behind them.
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

b.install({
    request = function()
        return wrk.format("GET", "/health/live")
    end,
})
