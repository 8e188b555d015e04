-- wrk script for the webhook intake benchmark (see bench/run.sh).
-- Usage: wrk -t2 -c32 -d10s -s bench/intake.lua http://127.0.0.1:PORT -- <bodies-file> <threads>
-- Each line of the bodies file is "<signature> <json>": distinct, signed deploy-request webhooks. Thread k of
-- n sends lines k, k+n, k+2n, ... so no body is sent twice; a thread stops when its share runs out.
-- A third argument "repeat" starts over instead (for nginx, which answers 204 to anything and stores nothing).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path, nthreads = args[1], tonumber(args[2])
  repeating = args[3] == "repeat"
  requests = {}
  local index = 0
  for line in io.lines(path) do
    if index % nthreads == id then
      local space = line:find(" ", 1, true)
      requests[#requests + 1] = wrk.format("POST", "/webhooks/planetscale", {
        ["Content-Type"] = "application/json",
        ["X-PlanetScale-Signature"] = line:sub(1, space - 1),
      }, line:sub(space + 1))
    end
    index = index + 1
  end
  sent = 0
  failed = 0
end

function request()
  sent = sent + 1
  if sent > #requests and repeating then
    sent = 1
  elseif sent > #requests then
    wrk.thread:stop()
    sent = #requests
  end
  return requests[sent]
end

function response(status, headers, body)
  if status ~= 200 and not (repeating and status == 204) then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("failed") or 0)
  end
  io.write(string.format("WRK requests=%d seconds=%.3f rate=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d non200=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
