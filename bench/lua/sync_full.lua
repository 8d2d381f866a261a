-- GET /api/v1/sync?limit=1000[&token=T]: one page of a full sync (a 10,000-task account is about a dozen pages). Each
-- request picks a random sampled user and one of that user's full-sync pages at random: the first (no token) or
-- the page after a sync_token run.sh recorded when it walked the user's full sync once with curl before the
-- measurement (BENCH_SYNC_DATA: sync_users, sync_pages).
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

local S
b.install({
    init = function()
        S = dofile(os.getenv("BENCH_SYNC_DATA"))
    end,
    request = function()
        local i = math.random(#S.sync_users)
        local pages = S.sync_pages[i]
        local token = pages[math.random(#pages)]
        local path = "/api/v1/sync?limit=" .. S.sync_limit
        if token ~= "" then
            path = path .. "&token=" .. token
        end
        return wrk.format("GET", path, b.headers(S.sync_users[i]))
    end,
})
