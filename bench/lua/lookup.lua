-- GET /api/v1/requests/{tn} for random existing tracking numbers.
-- args: prefix first last   (e.g. SR26- 1 100000 -> SR26-00000001 .. SR26-00100000)
-- No response hook (keeps the client light); wrk's status error count covers non-2xx/3xx.
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")
setup = report.setup
done = report.done

local prefix, first, last

function init(args)
   prefix, first, last = args[1], tonumber(args[2]), tonumber(args[3])
   math.randomseed(os.time() + (tonumber(args[4]) or 0))
end

function request()
   return wrk.format("GET", string.format("/api/v1/requests/%s%08d", prefix,
                                          math.random(first, last)))
end
