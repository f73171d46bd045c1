-- POST /api/staff/v1/requests/{tn}/transitions, walking the tracking numbers (a file) in turn:
-- each is moved in_progress, on the next pass back to open, and so on.
-- args: numbers_file token
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")
setup = report.setup
done = report.done
response = report.response


local numbers = {}
local headers = {["Content-Type"] = "application/json"}
local k = 0

function init(args)
   for line in io.lines(args[1]) do
      if #line > 0 then table.insert(numbers, line) end
   end
   headers["Authorization"] = "Bearer " .. args[2]
end

function request()
   local n = #numbers
   local i = k % n
   local to = (math.floor(k / n) % 2 == 0) and "in_progress" or "open"
   k = k + 1
   return wrk.format("POST", "/api/staff/v1/requests/" .. numbers[i + 1] .. "/transitions",
                     headers, '{"to":"' .. to .. '","publicNote":"Crew update"}')
end
