-- register.lua: POST /queue (a registration) with a new child each request,
-- as a logged-in citizen (BENCH_TOKEN: the session cookie, BENCH_CSRF: its
-- token). Children are born 2022..2025 with IIN serials 2000..9999, clear
-- of the generated data's (0..~500 a day). Each wrk thread of each run
-- (BENCH_RUN: 0 for the warm-up, 1, 2... for the runs that follow) walks
-- its own block of a million (birth day, serial) pairs, so no two requests
-- of a bench name the same child.
local token = os.getenv("BENCH_TOKEN")
local csrf = os.getenv("BENCH_CSRF")
local districts = { "1110", "1166", "1132", "7110", "7510", "7910" }
local next_thread = 0      -- in the main state: numbers the threads
local counter = 0
local base_day = 0          -- days since 1970 of 2022-01-01
local ndays = 1461

function setup(thread)
  thread:set("thread_no", next_thread)
  next_thread = next_thread + 1
end

local function ymd(days)
  -- civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m, d
end

local function check_digit(s)
  local sum = 0
  for i = 1, 11 do sum = sum + tonumber(s:sub(i, i)) * i end
  local k = sum % 11
  if k == 10 then
    local w = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2 }
    sum = 0
    for i = 1, 11 do sum = sum + tonumber(s:sub(i, i)) * w[i] end
    k = sum % 11
    if k == 10 then return nil end
  end
  return k
end

local block = 0

local function next_iin()
  while true do
    counter = counter + 1
    local seq = block * 1000000 + counter
    local day = base_day + seq % ndays
    local serial = 2000 + math.floor(seq / ndays) % 8000
    local y, m, d = ymd(day)
    local s = string.format("%02d%02d%02d%d%04d", y % 100, m, d, 5 + counter % 2, serial)
    local k = check_digit(s)
    if k then return s .. k end
  end
end

function init(args)
  base_day = 18993   -- 2022-01-01
  -- thread_no was set by setup() as a global of this thread's state.
  block = (tonumber(os.getenv("BENCH_RUN") or "0") * 2 + (thread_no or 0))
end

function request()
  local iin = next_iin()
  local body = "csrf=" .. csrf .. "&action=save&child_iin=" .. iin
    .. "&child_surname=%D0%A2%D0%95%D0%A1%D0%A2%D0%9E%D0%92&child_name=%D0%90%D0%9B%D0%98%D0%A5%D0%90%D0%9D"
    .. "&phone=%2B77015550099&email=&language=ru&benefit=none&district=" .. districts[counter % #districts + 1]
  return wrk.format("POST", "/queue", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "kg_sid=" .. token,
  }, body)
end
