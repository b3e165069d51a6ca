"""What a caller hears while waiting: ringback or music on hold, as FusionPBX offers it.

IVR menus (``ivr_menu_ringback``, app/ivr_menus/ivr_menu_edit.php) and call-center queues
(``queue_moh_sound``, app/call_centers/call_center_queue_edit.php) both pick the value from
one selector, ``ringbacks->select()`` (app/switch/resources/classes/ringbacks.php): music
on hold (``local_stream://<name>``, a domain's own as ``local_stream://<domain>/<name>``),
the domain's recordings, streams, ringtones and tones (``${us-ring}``) and ``silence``;
the queue form starts at ``$${hold_music}``, the switch's default music. The two plugins
used to check different subsets of that list; they now share ``HoldMusic``.
"""

from __future__ import annotations

import re

import marshmallow as ma

from fpbx_api.http.fields import Text
from fpbx_api.kit.scoping import domain_name

# A function, not a Pattern: the spec would publish the braces of ${name} as a regex
# that schemathesis cannot compile (see fpbx_api.http.fields.DialStringPart).
CHOICES = re.compile(
    r"\$\{[A-Za-z0-9_-]{1,64}\}"                                  # a ringtone or tone
    r"|\$\$\{hold_music\}|silence"                                # the default; none
    r"|local_stream://[A-Za-z0-9_.-]{1,64}(/[A-Za-z0-9_.-]{1,64})?"  # music on hold
    r"|[A-Za-z0-9_.-]{1,128}\.(wav|mp3|ogg)"                      # a recording's file
    r"|https?://[A-Za-z0-9_./:-]{1,200}")                         # a stream
OFFERED = ("${<ringtone or tone>} (e.g. ${us-ring}), local_stream://<music on hold> "
           "(local_stream://<your domain>/<name> for the domain's own), $${hold_music}, "
           "silence, a recording's file name or a stream URL")


def offered(value: str) -> None:
    """One of the selector's values; a domain's own music is the caller's domain's (a
    recording is a file name, never a path that could reach another domain's)."""
    if CHOICES.fullmatch(value) is None:
        raise ma.ValidationError(f"Use {OFFERED}.")
    _, stream, rest = value.partition("local_stream://")
    domain, inner, _ = rest.partition("/")
    if stream and inner and domain.lower() != domain_name().lower():
        raise ma.ValidationError(f"Use local_stream://<name> or "
                                 f"local_stream://{domain_name()}/<name>.")


class HoldMusic(Text):
    """Ringback or music on hold from FusionPBX's selector (see the module)."""

    def __init__(self, **kwargs):
        metadata = {"description": f"What callers hear while waiting: {OFFERED}",
                    **kwargs.pop("metadata", {})}
        super().__init__(validate=offered, metadata=metadata, **kwargs)
