-- POST /api/v1/requests with JSON bodies (one a line in a file), picked at random.
-- args: bodies_file
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")
setup = report.setup
done = report.done
response = report.response

local bodies = {}
local headers = {["Content-Type"] = "application/json"}

function init(args)
   for line in io.lines(args[1]) do
      if #line > 0 then table.insert(bodies, line) end
   end
   math.randomseed(os.time())
end

function request()
   return wrk.format("POST", "/api/v1/requests", headers, bodies[math.random(#bodies)])
end
