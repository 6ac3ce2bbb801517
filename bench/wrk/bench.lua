-- wrk script of the wagi-servlet benchmark (bench/run.sh).
--
--   wrk ... -s bench.lua URL                    GET
--   wrk ... -s bench.lua URL -- post 65536      POST of a 65536-byte body (application/octet-stream)
--   wrk ... -s bench.lua URL -- file PATH TYPE  POST of the bytes of the file PATH, with Content-Type TYPE
--
-- At the end it prints one machine-readable line, read by the benchmark:
--   WRK_RESULT requests=N duration_us=N bytes=N connect=N read=N write=N status=N timeout=N
--              mean_us=X p50_us=N p90_us=N p99_us=N max_us=N
-- Latencies are wrk's (microseconds, per request, from send to complete response).

function init(args)
  if args[1] == "post" then
    local size = tonumber(args[2])
    -- 64 distinct printable bytes repeated: easy to check, not compressible to nothing
    local pattern = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/"
    local body = string.rep(pattern, math.floor(size / 64)) .. string.sub(pattern, 1, size % 64)
    wrk.method = "POST"
    wrk.body = body
    wrk.headers["Content-Type"] = "application/octet-stream"
  elseif args[1] == "file" then
    local f = assert(io.open(args[2], "rb"))
    wrk.method = "POST"
    wrk.body = f:read("*a")
    f:close()
    wrk.headers["Content-Type"] = args[3]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d " ..
    "mean_us=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
