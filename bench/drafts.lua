-- wrk script: POST /v1/verifications cycling through real listing drafts.
--   BENCH_BODIES  file of request bodies, one JSON draft per line (required)
--   BENCH_TOKEN   API key sent as "Authorization: Bearer ..." (optional)
--   BENCH_RATE    requests/s for the whole run, spread over the connections (optional;
--                 absent = as fast as the server answers)
--   BENCH_CONNS   connections, to spread BENCH_RATE (default 32)
local bodies = {}
local index = 0
local headers = { ["Content-Type"] = "application/json" }
local gap_ms = 0
local threads = 0

function setup(thread)
  -- runs in the main Lua state, once per thread: give each thread its own start
  thread:set("offset", threads * 37)
  threads = threads + 1
end

function init(args)
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  local token = os.getenv("BENCH_TOKEN")
  if token and #token > 0 then headers["Authorization"] = "Bearer " .. token end
  local rate = tonumber(os.getenv("BENCH_RATE") or "")
  if rate and rate > 0 then
    gap_ms = (tonumber(os.getenv("BENCH_CONNS") or "32")) * 1000 / rate
  end
  -- threads start at different drafts so they do not move in lockstep
  index = (offset or 0) % #bodies
end

function delay()
  -- jittered, so the connections do not fire in synchronised bursts
  if gap_ms == 0 then return 0 end
  return gap_ms * (0.5 + math.random())
end

function request()
  index = (index % #bodies) + 1
  return wrk.format("POST", "/v1/verifications", headers, bodies[index])
end

function done(summary, latency, requests)
  io.write(string.format(
    "BENCH rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
