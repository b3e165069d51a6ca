"""Where the rate limiter counts: one request against all of a client's windows at once.

``check`` counts a request in every window (on Redis all or none: a refused request uses
nothing),
reports each window's remaining requests and reset time for the headers, and can read one
more window without counting in it (the client address's failed authentications). On
Redis all of that is one round trip, a Lua script registered once per process (before,
flask-limiter spent four, plus one for the failed-authentication check, and they were
most of a cached read's time). Any other storage (``memory://``, memcached…) goes through
the ``limits`` strategies, a call per window, which costs nothing in memory.

Windows are moving (a timestamp per request, exact) or fixed (a counter per window,
cheaper but allows a burst across a window's edge), per ``rate_limit.strategy``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.storage import RedisStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

# KEYS: the windows to count in, then the one to read only (if any).
# ARGV: now, moving (1) or fixed (0), the number of windows to count in, then
#       limit and seconds of each window, read-only one included.
# Returns the 1-based index of the first full window (0: counted), then count and the
# oldest timestamp in each window (as strings: Redis truncates Lua numbers to integers).
CHECK_SCRIPT = """
local now, moving, counted = tonumber(ARGV[1]), ARGV[2] == '1', tonumber(ARGV[3])
local function window(key, limit, seconds)
  if not moving then
    return tonumber(redis.call('get', key) or '0'), math.floor(now / seconds) * seconds
  end
  local low, high, found = 0, limit - 1, nil  -- newest first: the last one in the window
  while low <= high do
    local mid = math.floor((low + high) / 2)
    local stamp = tonumber(redis.call('lindex', key, mid))
    if stamp and stamp >= now - seconds then found = mid; low = mid + 1 else high = mid - 1 end
  end
  if found == nil then return 0, now end
  return found + 1, tonumber(redis.call('lindex', key, found))
end
local counts, oldest, full = {}, {}, 0
for i = 1, #KEYS do
  local limit, seconds = tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i])
  counts[i], oldest[i] = window(KEYS[i], limit, seconds)
  if i <= counted and full == 0 and counts[i] >= limit then full = i end
end
if full == 0 then
  for i = 1, counted do
    local limit, seconds = tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i])
    if moving then
      redis.call('lpush', KEYS[i], ARGV[1])
      redis.call('ltrim', KEYS[i], 0, limit - 1)
    else
      redis.call('incr', KEYS[i])
    end
    redis.call('expire', KEYS[i], seconds)
    counts[i] = counts[i] + 1
  end
end
local out = {full}
for i = 1, #KEYS do
  out[#out + 1] = counts[i]
  out[#out + 1] = tostring(oldest[i])
end
return out
"""


@dataclass(frozen=True)
class Window:
    """A limit: ``limit`` requests per ``seconds``, counted under ``key``."""

    key: str
    limit: int
    seconds: int


@dataclass(frozen=True)
class Usage:
    window: Window
    remaining: int
    reset: float  # epoch seconds when a request is freed (moving) or the window ends


@dataclass(frozen=True)
class Verdict:
    full: Window | None  # the first full window (the request was refused), or None
    usage: list[Usage]   # of the counted windows, in order
    peeked: Usage | None  # of the read-only window


class RedisCounter:
    """All windows in one round trip (``CHECK_SCRIPT``)."""

    def __init__(self, storage: RedisStorage, moving: bool):
        self.script = storage.get_connection().register_script(CHECK_SCRIPT)
        self.moving = moving
        exceptions = storage.base_exceptions
        self.errors = exceptions if isinstance(exceptions, tuple) else (exceptions,)

    def check(self, windows: list[Window], peek: Window | None = None) -> Verdict:
        now = time.time()
        every = [*windows, peek] if peek else windows
        keys = [self._key(w, now) for w in every]
        args = [repr(now), int(self.moving), len(windows)]
        for w in every:
            args += [w.limit, w.seconds]
        full, *stats = self.script(keys=keys, args=args)
        usage = [Usage(w, max(0, w.limit - int(stats[2 * i])), float(stats[2 * i + 1]) + w.seconds)
                 for i, w in enumerate(every)]
        return Verdict(windows[full - 1] if full else None, usage[:len(windows)],
                       usage[-1] if peek else None)

    def _key(self, window: Window, now: float) -> str:
        return window.key if self.moving else f"{window.key}:{int(now // window.seconds)}"


class LimitsCounter:
    """Any storage ``limits`` knows, through its strategies: a call per window."""

    def __init__(self, storage, moving: bool):
        strategy = MovingWindowRateLimiter if moving else FixedWindowRateLimiter
        self.strategy = strategy(storage)
        exceptions = storage.base_exceptions
        self.errors = exceptions if isinstance(exceptions, tuple) else (exceptions,)

    def check(self, windows: list[Window], peek: Window | None = None) -> Verdict:
        items = [RateLimitItemPerSecond(w.limit, w.seconds) for w in windows]
        # each hit is atomic; a refusal by a later window leaves the earlier ones counted
        full = next((w for w, item in zip(windows, items, strict=True)
                     if not self.strategy.hit(item, w.key)), None)
        usage = [self._usage(w, item) for w, item in zip(windows, items, strict=True)]
        peeked = self._usage(peek, RateLimitItemPerSecond(peek.limit, peek.seconds)) \
            if peek else None
        return Verdict(full, usage, peeked)

    def _usage(self, window: Window, item) -> Usage:
        reset, remaining = self.strategy.get_window_stats(item, window.key)
        return Usage(window, max(0, remaining), reset)


def counter(storage_url: str, options: dict, moving: bool) -> RedisCounter | LimitsCounter:
    storage = storage_from_string(storage_url, **options)
    if isinstance(storage, RedisStorage):
        return RedisCounter(storage, moving)
    return LimitsCounter(storage, moving)
