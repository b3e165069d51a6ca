"""The limiter's moving windows in one Redis round trip a request.

flask-limiter asks its strategy, one limit at a time, to hit each window (one Lua call
each), the failed-authentication check reads its window (another), and the headers read
the windows again after the view (one more each): five round trips a request on Redis.
``OneTripMovingWindow`` is limits' moving-window strategy with one Lua script that, on the
first hit of a request, hits every window of the application limits and reads the
failed-authentication window, and keeps what it learnt in the request's ``g``: the other
hits, the check and the headers are answered from it. The windows are the ones limits
keeps (a Redis list of timestamps a key, the same keys and the same rules as its
``acquire_moving_window.lua`` and ``moving_window.lua``), so a mixed deployment counts into
the same windows, and each window is still acquired or refused on its own.

Outside a request, for any other limit, and for a second hit of a window in one request,
the strategy does what limits' does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import g, has_request_context
from limits import RateLimitItem
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from limits.util import WindowStats

# KEYS: the windows to hit, then the windows only to read.
# ARGV: now, cost, how many of KEYS to hit, then each key's limit and expiry.
# Returns, for each key: acquired (1 or 0), the window's oldest entry, its entries.
SCRIPT = """
local now = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local hits = tonumber(ARGV[3])
local out = {}
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 + 2 * i])
  local expiry = tonumber(ARGV[3 + 2 * i])
  local acquired = 0
  if i <= hits and cost <= limit then
    local entry = redis.call('lindex', key, limit - cost)
    if not (entry and tonumber(entry) >= now - expiry) then
      for _ = 1, cost do redis.call('lpush', key, now) end
      redis.call('ltrim', key, 0, limit - 1)
      redis.call('expire', key, expiry)
      acquired = 1
    end
  end
  local low, high, oldest_index = 0, limit - 1, nil
  while low <= high do
    local mid = math.floor((low + high) / 2)
    local value = tonumber(redis.call('lindex', key, mid))
    if value and value >= now - expiry then
      oldest_index = mid
      low = mid + 1
    else
      high = mid - 1
    end
  end
  if oldest_index then
    out[#out + 1] = {acquired, redis.call('lindex', key, oldest_index), oldest_index + 1}
  else
    out[#out + 1] = {acquired, tostring(now), 0}
  end
end
return out
"""


@dataclass
class Trip:
    """What one request's round trip learnt: window (start, entries) by storage key, and
    which windows it hit for the request (each answers one ``hit``)."""

    windows: dict[str, tuple[float, int]] = field(default_factory=dict)
    hits: dict[str, bool] = field(default_factory=dict)
    probes: set[str] = field(default_factory=set)
    done: bool = False


class OneTripMovingWindow(MovingWindowRateLimiter):
    """Moving windows, all of a request's in one script call (see the module)."""

    def __init__(self, storage: RedisStorage, together: list[RateLimitItem]):
        super().__init__(storage)
        self.redis_storage = storage
        self.together = together  # the application limits, which every request hits
        self.probes: list[tuple[RateLimitItem, Callable[[], tuple[str, ...]]]] = []
        self.script = storage.get_connection().register_script(SCRIPT)

    def probe(self, item: RateLimitItem, identifiers: Callable[[], tuple[str, ...]]) -> None:
        """Also read ``item``'s window for ``identifiers()`` in each request's trip."""
        self.probes.append((item, identifiers))

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        trip = _trip()
        if trip is None:
            return super().hit(item, *identifiers, cost=cost)
        key = item.key_for(*identifiers)
        if not trip.done and item in self.together:
            self._go(trip, identifiers, cost)
        if key in trip.hits:
            return trip.hits.pop(key)
        trip.windows.pop(key, None)  # this hit changes the window read
        return super().hit(item, *identifiers, cost=cost)

    def test(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        trip = _trip()
        key = item.key_for(*identifiers)
        if trip is not None and key in trip.probes and key in trip.windows:
            return trip.windows[key][1] <= item.amount - cost
        return super().test(item, *identifiers, cost=cost)

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        trip = _trip()
        key = item.key_for(*identifiers)
        if trip is not None and key in trip.windows:
            start, entries = trip.windows[key]
            return WindowStats(start + item.get_expiry(), item.amount - entries)
        return super().get_window_stats(item, *identifiers)

    def _go(self, trip: Trip, identifiers: tuple[str, ...], cost: int) -> None:
        trip.done = True
        windows = [(item, item.key_for(*identifiers)) for item in self.together]
        probes = [(item, item.key_for(*ids())) for item, ids in self.probes]
        args: list = [time.time(), cost, len(windows)]
        for item, _key in windows + probes:
            args += [item.amount, item.get_expiry()]
        keys = [self.redis_storage.prefixed_key(key) for _item, key in windows + probes]
        answers = self.script(keys, args)
        for n, ((_item, key), (acquired, start, entries)) in enumerate(
                zip(windows + probes, answers, strict=True)):
            trip.windows[key] = (float(start), int(entries))
            if n < len(windows):
                trip.hits[key] = bool(acquired)
            else:
                trip.probes.add(key)


def _trip() -> Trip | None:
    if not has_request_context():
        return None
    trip = g.get("rate_windows")
    if trip is None:
        trip = g.rate_windows = Trip()
    return trip
