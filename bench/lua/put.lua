-- PUT /api/v1/tasks/{id}: replace a random task (every field, two tags).
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

b.install({
    request = function()
        local u = b.user()
        local body = string.format(
            '{"title":"Replaced by the benchmark","description":"Every field set","priority":"%s","completed":false,"due_date":"%s","tags":["%s","%s"]}',
            b.priority(), b.due_date(), b.tag(), b.tag())
        return wrk.format("PUT", "/api/v1/tasks/" .. b.id(u), b.headers(u, "application/json"), body)
    end,
})
