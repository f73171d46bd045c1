-- GET /api/v1/requests?near=lat,long&radius=R at random points from a file ("lat,long" a line).
-- args: points_file radius
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")
setup = report.setup
done = report.done
response = report.response

local points, radius = {}, "500"

function init(args)
   for line in io.lines(args[1]) do
      if #line > 0 then table.insert(points, line) end
   end
   radius = args[2] or radius
   math.randomseed(os.time())
end

function request()
   return wrk.format("GET", "/api/v1/requests?near=" .. points[math.random(#points)] ..
                     "&radius=" .. radius)
end
