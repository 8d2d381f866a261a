-- GET /api/v1/sync?limit=N&token=T: an incremental sync. For each sampled user run.sh recorded the sync_token at the
-- end of a full sync, then made 100 changes through the API (title PATCHes of 100 tasks): every request returns
-- the same changes (read-only), all of them in one page (BENCH_SYNC_DATA: sync_users, sync_tokens, sync_limit).
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

local S
b.install({
    init = function()
        S = dofile(os.getenv("BENCH_SYNC_DATA"))
    end,
    request = function()
        local i = math.random(#S.sync_users)
        return wrk.format("GET", "/api/v1/sync?limit=" .. S.sync_limit .. "&token=" .. S.sync_tokens[i],
            b.headers(S.sync_users[i]))
    end,
})
