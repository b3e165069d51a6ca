-- wrk: create an extension, then delete it, over and over (uuids queued per thread), each
-- request with the next of many API keys (see keys.lua).
dofile(os.getenv("BENCH_DIR") .. "/keys.lua")

local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local n = 0
local created = {}
function init(args)
  load_keys()
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  with_key()
  if #created > 0 then
    return wrk.format("DELETE", "/api/v1/extensions/" .. table.remove(created))
  end
  n = n + 1
  local number = tostring(7000000 + tid * 100000 + n)
  return wrk.format("POST", "/api/v1/extensions", nil, '{"extension": "' .. number .. '"}')
end

function response(status, headers, body)
  if status == 201 then
    local uuid = string.match(body, '"extension_uuid":%s*"([%x%-]+)"')
    if uuid then table.insert(created, uuid) end
  end
end
