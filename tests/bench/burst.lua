-- burst.lua: the burst of place choices (issue 5) for wrk -t1: each line of
-- BENCH_BURST (made by choice-burst.js --prepare: session token, CSRF
-- token, application, place) is POSTed to /places/choose exactly once,
-- from all of wrk's connections at once. A connection with nothing left to
-- send waits (delay); when the last response is in, the thread stops and
-- writes the responses by status ("303=N 409=M") to BENCH_BURST.status,
-- which tells run.sh to end wrk's run (SIGINT) at once.
-- One thread: the lines are shared by the connections of one Lua state.
-- Every request is preceded by a call of delay() (wrk does so for every
-- request, the first of each connection too, when the script has one).
local lines = {}
nlines, sent, reserved, answered = 0, 0, 0, 0
local counts = {}
local thread_of = nil

function setup(thread)
  thread_of = thread
end

function init(args)
  local f = assert(io.open(os.getenv("BENCH_BURST"), "r"))
  for line in f:lines() do
    if line ~= "" then
      nlines = nlines + 1
      lines[nlines] = line
    end
  end
  f:close()
end

-- A connection asks for a delay before each request: none while a line is
-- left for it (reserved, so that every request() finds one), else long.
function delay()
  if reserved < nlines then
    reserved = reserved + 1
    return 0
  end
  return 3600000
end

-- wrk calls request() once before any connection starts, to check the
-- request's form (script_verify_request): that call, before any delay(),
-- builds the first line's request without using it up.
function request()
  local i = 1
  if reserved > 0 then
    sent = sent + 1
    i = sent
  end
  local tok, csrf, app, place = lines[i]:match("^(%S+) (%S+) (%S+) (%S+)$")
  return wrk.format("POST", "/places/choose", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "kg_sid=" .. tok,
  }, "csrf=" .. csrf .. "&application=" .. app .. "&place=" .. place)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  answered = answered + 1
  if answered == nlines then
    local parts = {}
    for k, v in pairs(counts) do parts[#parts + 1] = k .. "=" .. v end
    local f = io.open(os.getenv("BENCH_BURST") .. ".status", "w")
    f:write(table.concat(parts, " "), "\n")
    f:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  if thread_of and thread_of:get("answered") ~= thread_of:get("nlines") then
    io.stderr:write(string.format("burst.lua: %s of %s lines sent, %s answered\n", tostring(thread_of:get("sent")),
      tostring(thread_of:get("nlines")), tostring(thread_of:get("answered"))))
  end
end
