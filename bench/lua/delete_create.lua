-- DELETE then POST: each wrk thread deletes the tasks it created earlier (so no delete misses) and creates
-- new ones, alternating; the data set keeps its size.
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

local queue, head, tail = {}, 1, 0
b.install({
    request = function()
        if tail >= head then
            local item = queue[head]
            queue[head] = nil
            head = head + 1
            return wrk.format("DELETE", "/api/v1/tasks/" .. item.id, b.headers(item.u))
        end
        local u = b.user()
        return wrk.format("POST", "/api/v1/tasks", b.headers(u, "application/json"), b.create_body("dc", u))
    end,
    response = function(status, headers, body)
        if status == 201 then
            local u, id = b.created(body)
            if u then
                tail = tail + 1
                queue[tail] = { u = u, id = id }
            end
        end
    end,
})
