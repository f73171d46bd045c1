-- GET one path given as the first argument (`-- /open311/v2/requests.json?...`), counting statuses.
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")
setup = report.setup
done = report.done
response = report.response

function init(args)
   wrk.path = args[1]
end
