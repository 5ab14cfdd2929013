-- wrk script for the hot path: each request presents a service-role JWT drawn at random from a pool (one app each),
-- so requests spread over the stored connections. Without TOKENS (the ceiling) requests carry no Authorization.
-- Environment: TOKENS (file, one JWT a line), BENCH_PATH (request path), BENCH_LABEL (printed with the results).

local tokens = {}
local path = os.getenv("BENCH_PATH") or "/connectors/github/connection"

function init(args)
  local file = os.getenv("TOKENS")
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then tokens[#tokens + 1] = line end
    end
  end
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
end

function request()
  if #tokens == 0 then
    return wrk.format("GET", path)
  end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)] })
end

-- One machine-readable line: label rps p50_ms p99_ms p999_ms errors requests.
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout
  io.write(string.format("RESULT %s %.1f %.3f %.3f %.3f %d %d\n", os.getenv("BENCH_LABEL") or "-",
      summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      latency:percentile(99.9) / 1000, errors, summary.requests))
end
