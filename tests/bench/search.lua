-- search.lua: GET /queue/search?q=<an application number or a child's IIN>,
-- a different one each request, drawn from BENCH_QUERIES (one per line:
-- queued applications of the generated data, numbers and IINs).
local queries = {}
local n = 0

function init(args)
  local f = assert(io.open(os.getenv("BENCH_QUERIES"), "r"))
  for line in f:lines() do
    n = n + 1
    queries[n] = line
  end
  f:close()
  math.randomseed(os.time() + (args[1] and tonumber(args[1]) or 0))
end

function request()
  return wrk.format("GET", "/queue/search?q=" .. queries[math.random(n)])
end
