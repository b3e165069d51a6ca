"""What FreeSWITCH's directory (FusionPBX's ``directory.lua``) caches, by key."""

from __future__ import annotations


def directory_keys(extension: str | None, number_alias: str | None,
                   user_context: str | None) -> list[str]:
    """FusionPBX's directory cache keys naming an extension, by number and by alias
    (``resources/classes/cache.php``): cleared whenever anything FreeSWITCH's directory
    reads changes."""
    return [f"directory:{n}@{user_context}" for n in (extension, number_alias) if n]
