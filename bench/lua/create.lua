-- POST /api/v1/tasks: create a task (one tag, due date). The title of every task the server answered 201
-- for is written to BENCH_SEEN_DIR, so that run.sh can check that no write was lost or duplicated.
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

local seen
b.install({
    request = function()
        local u = b.user()
        return wrk.format("POST", "/api/v1/tasks", b.headers(u, "application/json"), b.create_body("create", u))
    end,
    response = function(status, headers, body)
        if status == 201 then
            if not seen then
                local dir = os.getenv("BENCH_SEEN_DIR")
                if not dir then
                    return
                end
                seen = assert(io.open(dir .. "/" .. (os.getenv("BENCH_POINT") or "point") .. "-t" .. tid .. ".txt", "a"))
                seen:setvbuf("line")
            end
            seen:write((body:match('"title"%s*:%s*"(bench%-create [^"]*)"') or "?"), "\n")
        end
    end,
})
