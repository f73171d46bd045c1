-- Shared by every bench script: counts response statuses (when asked) and prints one JSON line.
-- Usage in a script:  local report = dofile(bench_dir .. "report.lua"); done = report.done
local M = {}
local threads = {}

function M.setup(thread)
   table.insert(threads, thread)
end

-- Per-thread state (each wrk thread has its own Lua state): status -> count, first bad bodies.
statuses = {}
bad_samples = {}

function M.response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if (status < 200 or status > 299) and #bad_samples < 3 then
      table.insert(bad_samples, tostring(status) .. " " .. string.sub(body or "", 1, 300))
   end
end

local function json_string(s)
   s = string.gsub(s, '[%c"\\]', function(c)
      return string.format("\\u%04x", string.byte(c))
   end)
   return '"' .. s .. '"'
end

function M.done(summary, latency, requests)
   local e = summary.errors
   local codes, samples = {}, {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses") or {}
      for status, n in pairs(counts) do
         codes[status] = (codes[status] or 0) + n
      end
      for _, s in ipairs(thread:get("bad_samples") or {}) do
         table.insert(samples, json_string(s))
      end
   end
   local parts = {}
   for status, n in pairs(codes) do
      table.insert(parts, string.format('"%d":%d', status, n))
   end
   local p = function(q) return latency:percentile(q) end
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,' ..
      '"p50":%d,"p75":%d,"p90":%d,"p99":%d,"p999":%d},' ..
      '"statuses":{%s},"bad_samples":[%s]}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.min, latency.mean, latency.stdev, latency.max,
      p(50), p(75), p(90), p(99), p(99.9),
      table.concat(parts, ","), table.concat(samples, ",")))
end

return M
