-- POST /api/v1/requests as multipart: a 'request' JSON part and one 'photo' file part.
-- args: boundary body_file [body_file ...]   (each file is a complete multipart body)
-- The requests are formatted once in init(): a ~2 MB body is not rebuilt per request.
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")
setup = report.setup
done = report.done
response = report.response

local prepared = {}

function init(args)
   local headers = {["Content-Type"] = "multipart/form-data; boundary=" .. args[1]}
   for i = 2, #args do
      local f = assert(io.open(args[i], "rb"))
      local body = f:read("*a")
      f:close()
      table.insert(prepared, wrk.format("POST", "/api/v1/requests", headers, body))
   end
   math.randomseed(os.time())
end

function request()
   return prepared[math.random(#prepared)]
end
