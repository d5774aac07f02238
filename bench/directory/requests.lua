-- wrk script: cycle through the paths in args[1] (one per line), with the bench
-- owner's bearer token, and print one JSON line of results at the end.
local paths = {}
local index = 0
local headers = {}

function init(args)
  -- Each wrk thread has its own Lua state; seed each differently.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16))
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(paths, line) end
  end
  local token = os.getenv("BENCH_TOKEN")
  if token and #token > 0 then headers["Authorization"] = "Bearer " .. token end
  index = math.random(#paths)
end

function request()
  index = index % #paths + 1
  local path = paths[index]
  if path:find("__AMOUNT__", 1, true) then
    -- A search no one made before: an amount in cents between $10,000 and $2,000,000.
    local amount = string.format("%d.%02d", math.random(10000, 1999999), math.random(0, 99))
    path = path:gsub("__AMOUNT__", amount)
  end
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
