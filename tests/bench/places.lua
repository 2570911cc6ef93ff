-- places.lua: GET /places with filters as people combine them: a group
-- year, a language, a status, a piece of a DDO's name (BENCH_PLACES_NAMES,
-- one per line), a day a record was added (BENCH_PLACES_DAYS), a sort
-- column and direction, a page; each request draws its own combination,
-- so most of them are not a page the cache keeps.
local names, days = {}, {}
local years = { "2020", "2021", "2022", "2023", "2024", "2025" }
local langs = { "kk", "ru" }
local statuses = { "waiting", "free_choice", "exhausted" }
local sorts = { "name", "year", "lang", "total", "free", "user", "kind", "date", "status" }

local function lines(path, into)
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    if line ~= "" then into[#into + 1] = line end
  end
  f:close()
end

local function enc(s)
  return (s:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function pick(t) return t[math.random(#t)] end

function init(args)
  lines(os.getenv("BENCH_PLACES_NAMES"), names)
  lines(os.getenv("BENCH_PLACES_DAYS"), days)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  local q = {}
  local k = math.random(6)
  if k == 1 then
    q[#q + 1] = "f_year=" .. pick(years)
    q[#q + 1] = "f_lang=" .. pick(langs)
  elseif k == 2 then
    q[#q + 1] = "f_name=" .. enc(pick(names))
  elseif k == 3 then
    q[#q + 1] = "f_status=" .. pick(statuses)
    q[#q + 1] = "f_year=" .. pick(years)
  elseif k == 4 then
    q[#q + 1] = "f_date=" .. pick(days)
  elseif k == 5 then
    q[#q + 1] = "f_lang=" .. pick(langs)
    q[#q + 1] = "f_status=" .. pick(statuses)
  else
    q[#q + 1] = "f_year=" .. pick(years)
    q[#q + 1] = "f_name=" .. enc(pick(names))
  end
  q[#q + 1] = "sort=" .. pick(sorts)
  if math.random(2) == 1 then q[#q + 1] = "dir=asc" end
  q[#q + 1] = "page=" .. math.random(3)
  return wrk.format("GET", "/places?" .. table.concat(q, "&"))
end
