-- Shared part of the wrk scenarios (bench/lua/<scenario>.lua).
--
-- Every scenario picks a random user (a pre-minted access token) and random task ids of that user
-- from the data file run.sh writes after seeding (BENCH_DATA), counts every response that is not 2xx
-- as an error, and prints one line "BENCH_RESULT {json}" from done() that run.sh parses.
--
-- Environment: BENCH_DATA (data file), BENCH_RUN (run tag, makes created titles unique),
-- BENCH_POINT (label of this wrk run), BENCH_SEEN_DIR (where the create scenario records the
-- titles of the tasks it saw created, one file per wrk thread).

local M = {}

local threads = {}

-- Per wrk thread (each has its own Lua state): set in init(). The counters are globals because
-- done() reads them from each thread with thread:get().
local D, auth, nusers
local seq = 0
bench_ok, bench_errors, bench_sent, bench_statuses = 0, 0, 0, {}

function M.user()
    return math.random(nusers)
end

function M.id(u)
    local ids = D.ids[u]
    return ids[math.random(#ids)]
end

-- The whole data file (tokens, ids, cursors, the Projects lists), for scenarios that need more than the above.
function M.data()
    return D
end

function M.cursor(u)
    local cursors = D.cursors[u]
    return cursors[math.random(#cursors)]
end

-- No Accept header, like curl or fetch by default ("*/*" is implied).
function M.headers(u, content_type)
    local h = { ["Authorization"] = auth[u] }
    if content_type then
        h["Content-Type"] = content_type
    end
    return h
end

-- A unique title: run tag, wrk point, thread and sequence number.
function M.title(kind, u)
    seq = seq + 1
    return string.format("bench-%s %s %s u%d t%d n%d", kind, os.getenv("BENCH_RUN") or "run",
        os.getenv("BENCH_POINT") or "point", u, tid, seq)
end

local priorities = { "low", "medium", "high" }
local tag_names = { "work", "home", "errands", "urgent", "later", "health", "finance", "reading" }

function M.priority()
    return priorities[math.random(3)]
end

function M.tag()
    return tag_names[math.random(#tag_names)]
end

-- A due date within the next 60 days, RFC 3339.
function M.due_date()
    return os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() + math.random(0, 60 * 86400))
end

-- The JSON body of a create.
function M.create_body(kind, u)
    return string.format('{"title":"%s","description":"Created by the benchmark","priority":"%s","due_date":"%s","tags":["%s"]}',
        M.title(kind, u), M.priority(), M.due_date(), M.tag())
end

-- From a Task response: the task id (the first "id") and the user number (from "user_id").
function M.created(body)
    local id = body:match('"id"%s*:%s*"([0-9a-fA-F%-]+)"')
    local u = body:match('"user_id"%s*:%s*"bench%-user%-(%d+)"')
    if id and u then
        return tonumber(u), id
    end
    return nil
end

local function json_string(s)
    return '"' .. tostring(s):gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

local function json(value)
    local t = type(value)
    if t == "table" then
        local parts = {}
        for k, v in pairs(value) do
            parts[#parts + 1] = json_string(k) .. ":" .. json(v)
        end
        return "{" .. table.concat(parts, ",") .. "}"
    elseif t == "number" then
        if value ~= value or value == math.huge or value == -math.huge then
            return "null"
        end
        return string.format("%.17g", value)
    elseif t == "boolean" then
        return tostring(value)
    elseif value == nil then
        return "null"
    end
    return json_string(value)
end

-- Installs wrk's hooks. scenario.request(): a request (wrk.format); scenario.response(status, headers, body)
-- optional, called after counting.
function M.install(scenario)
    function setup(thread)
        table.insert(threads, thread)
        thread:set("tid", #threads)
    end

    function init(args)
        math.randomseed(os.time() * 1009 + tid * 7919 + math.floor(os.clock() * 1000000))
        D = dofile(os.getenv("BENCH_DATA"))
        auth = {}
        for i, token in ipairs(D.tokens) do
            auth[i] = "Bearer " .. token
        end
        nusers = #D.tokens
        if scenario.init then
            scenario.init(args)
        end
    end

    function request()
        bench_sent = bench_sent + 1
        return scenario.request()
    end

    function response(status, headers, body)
        if status >= 200 and status < 300 then
            bench_ok = bench_ok + 1
        else
            bench_errors = bench_errors + 1
            local key = tostring(status)
            bench_statuses[key] = (bench_statuses[key] or 0) + 1
        end
        if scenario.response then
            scenario.response(status, headers, body)
        end
    end

    function done(summary, latency, requests)
        local total_ok, total_errors, total_sent, by_status = 0, 0, 0, {}
        for _, thread in ipairs(threads) do
            total_ok = total_ok + (thread:get("bench_ok") or 0)
            total_errors = total_errors + (thread:get("bench_errors") or 0)
            total_sent = total_sent + (thread:get("bench_sent") or 0)
            for status, count in pairs(thread:get("bench_statuses") or {}) do
                by_status[status] = (by_status[status] or 0) + count
            end
        end
        local seconds = summary.duration / 1e6
        local result = {
            point = os.getenv("BENCH_POINT"),
            requests = summary.requests,
            duration_s = seconds,
            bytes = summary.bytes,
            rps = summary.requests / seconds,
            ok = total_ok,
            non2xx = total_errors,
            sent = total_sent,
            statuses = by_status,
            socket_errors = {
                connect = summary.errors.connect,
                read = summary.errors.read,
                write = summary.errors.write,
                timeout = summary.errors.timeout,
            },
            latency_us = {
                mean = latency.mean,
                p50 = latency:percentile(50),
                p90 = latency:percentile(90),
                p95 = latency:percentile(95),
                p99 = latency:percentile(99),
                max = latency.max,
            },
        }
        io.write("BENCH_RESULT " .. json(result) .. "\n")
    end
end

return M
