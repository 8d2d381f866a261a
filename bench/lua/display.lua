-- GET /api/v1/lists/{id}/tasks?limit=50: a page of a random user's Projects list (tasks with subtasks, 4 levels) in
-- display order; one request in ten the first page, the others after a cursor (built by run.sh at a top-level task).
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

local D
b.install({
    init = function()
        D = b.data()
    end,
    request = function()
        local u = b.user()
        local path = "/api/v1/lists/" .. D.lists[u] .. "/tasks?limit=50"
        if math.random(10) > 1 then
            local cursors = D.display_cursors[u]
            path = path .. "&cursor=" .. cursors[math.random(#cursors)]
        end
        return wrk.format("GET", path, b.headers(u))
    end,
})
