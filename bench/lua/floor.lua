-- GET /healthz: the framework's floor (no database). No response hook: keep the client light.
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")
setup = report.setup
done = report.done
wrk.path = "/healthz"
