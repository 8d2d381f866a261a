-- POST /api/v1/tasks/{id}/move: a random task of a random user's Projects list (every task as likely; a fifth of the
-- top-level tasks carry a subtree of 15, which moves with them), put after or before (alternately) another child of
-- the same parent, or another top-level task. A task stays among its siblings, so the list keeps its shape however
-- long the run. Top-level moves of one user take the list's row lock, subtask moves their parent's: like the other
-- write scenarios, requests spread over the users.
package.path = (os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/?.lua;" .. package.path
local b = require("common")

local groups, picks -- per user: the sibling groups (ids), and one {group, index} per task
local after = false
b.install({
    init = function()
        groups = b.data().siblings
        picks = {}
        for u, user_groups in ipairs(groups) do
            local p = {}
            for g, ids in ipairs(user_groups) do
                for i = 1, #ids do
                    p[#p + 1] = { g, i }
                end
            end
            picks[u] = p
        end
    end,
    request = function()
        local u = b.user()
        local pick = picks[u][math.random(#picks[u])]
        local ids = groups[u][pick[1]]
        local other = math.random(#ids - 1) -- another sibling: skip the task's own index
        if other >= pick[2] then
            other = other + 1
        end
        after = not after
        local body = string.format('{"%s":"%s"}', after and "after_id" or "before_id", ids[other])
        return wrk.format("POST", "/api/v1/tasks/" .. ids[pick[2]] .. "/move", b.headers(u, "application/json"), body)
    end,
})
