-- GET one staff path (first argument) with a staff access token (second argument).
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")
setup = report.setup
done = report.done
response = report.response

function init(args)
   wrk.path = args[1]
   wrk.headers["Authorization"] = "Bearer " .. args[2]
end
