-- A mix: 60% first page of the list, 20% get by id, 10% create, 5% update (merge patch), 5% delete
-- (of a task this thread created; a create when there is none yet).
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

local queue, head, tail = {}, 1, 0
local function create()
    local u = b.user()
    return wrk.format("POST", "/api/v1/tasks", b.headers(u, "application/json"), b.create_body("mix", u))
end
b.install({
    request = function()
        local r = math.random(100)
        local u = b.user()
        if r <= 60 then
            return wrk.format("GET", "/api/v1/tasks", b.headers(u))
        elseif r <= 80 then
            return wrk.format("GET", "/api/v1/tasks/" .. b.id(u), b.headers(u))
        elseif r <= 90 then
            return create()
        elseif r <= 95 then
            return wrk.format("PATCH", "/api/v1/tasks/" .. b.id(u), b.headers(u, "application/merge-patch+json"),
                '{"priority":"' .. b.priority() .. '"}')
        end
        if tail >= head then
            local item = queue[head]
            queue[head] = nil
            head = head + 1
            return wrk.format("DELETE", "/api/v1/tasks/" .. item.id, b.headers(item.u))
        end
        return create()
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
