-- POST /api/staff/v1/auth/login with one account's username and password (a burst of logins).
-- args: username password
local dir = string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")
setup = report.setup
done = report.done
response = report.response

local body
local headers = {["Content-Type"] = "application/json"}

function init(args)
   body = string.format('{"username":"%s","password":"%s"}', args[1], args[2])
end

function request()
   return wrk.format("POST", "/api/staff/v1/auth/login", headers, body)
end
