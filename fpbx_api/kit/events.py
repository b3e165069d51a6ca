"""What happens to a row, told to the plugins that keep rows about it.

FusionPBX deletes, with an extension, the rows other features keep about it (ring-group
destinations dialling its number, its follow-me). The plugin that deletes a row does not
know those features; each of them subscribes here and removes its own rows:

    @on("extension.deleted")
    def forget_extension(row):
        ...

The kit emits ``"<noun>.deleted"`` for every resource it deletes (the noun's singular,
spaces as underscores: ``extension.deleted``, ``ring_group.deleted``, ``user.deleted``),
with the row, still loaded, after the resource's own ``removing`` and before the row
itself goes. Subscribers run in the write's transaction, before the commit, in the order
they were imported: one that raises rolls the whole delete back (an ``ApiError`` is the
answer, anything else a 500), so nothing is left half-deleted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

Subscriber = Callable[[object], None]

_subscribers: dict[str, dict[str, Subscriber]] = defaultdict(dict)


def on(event: str) -> Callable[[Subscriber], Subscriber]:
    """Subscribe the decorated function to ``event`` (once, however often its module is
    imported)."""
    def subscribe(fn: Subscriber) -> Subscriber:
        _subscribers[event][f"{fn.__module__}.{fn.__qualname__}"] = fn
        return fn
    return subscribe


def emit(event: str, row) -> None:
    """Run the subscribers of ``event`` with ``row``, in the caller's transaction."""
    for fn in list(_subscribers.get(event, {}).values()):
        fn(row)


def deleted(noun: str) -> str:
    """The event a resource's delete emits: ``deleted("ring group")`` is
    ``"ring_group.deleted"``, ``deleted("IVR menu")`` ``"ivr_menu.deleted"``."""
    return re.sub(r"[^a-z0-9]+", "_", noun.lower()) + ".deleted"
