-- wrk: spread requests over many API keys (as many tenants' integrations would), so the
-- rate limiter runs with its deployed limits instead of one key's huge counters.
local keys = {}
local next_key = 0

function load_keys()
  for line in io.lines(os.getenv("BENCH_KEYS")) do table.insert(keys, line) end
end

function with_key()
  next_key = next_key % #keys + 1
  wrk.headers["X-API-Key"] = keys[next_key]
end

function init(args)
  load_keys()
end

function request()
  with_key()
  return wrk.format()
end
