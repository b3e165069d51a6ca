"""FusionPBX's file cache (``cache.method = file``, its default): where FreeSWITCH's Lua
keeps the XML it builds, and deleting a key there the way FusionPBX's PHP does.

The Lua (``app/switch/resources/scripts/resources/functions/cache.lua``) never
expires a file: a directory entry or dialplan stays cached until the file is
deleted, so a change the API commits reaches calls only once its keys are gone.
"""

from __future__ import annotations

import glob
import os


def file_name(key: str) -> str:
    """The file Lua's ``key2file`` names a key: ':' becomes '.', '\\\\' and '/' become '_'.

    PHP's ``resources/classes/cache.php`` changes only ':'; the files are written by
    the Lua, so its rule decides what must be deleted (and no key leaves the folder).
    """
    return key.replace(":", ".").replace("\\", "_").replace("/", "_")


def luarun_names(key: str) -> tuple[str, str]:
    """The files clear_cache.lua is asked to delete for a key: its file and
    ``<file>.tmp``, the two Lua's ``Cache.del`` removes (cache.lua; ``<file>.tmp`` is
    the temp file ``Cache.set`` writes when ``create_uuid`` gives it no unique name).

    clear_cache.lua (``app/switch/resources/scripts/app/servers/resources/
    clear_cache.lua``) removes the one file it is named, so each is a run of its own;
    it takes no glob, so a ``<file>.<uuid>.tmp`` being written cannot be named: FusionPBX
    leaves those too (``Cache.del`` removes ``<file>.tmp`` only), and the shared folder
    (``delete``) is the way to remove them.
    """
    name = file_name(key)
    return name, name + ".tmp"


def delete(folder: str, key: str) -> list[str]:
    """Delete the key's files in ``folder`` as ``cache.php``'s ``delete()`` does: a glob
    (a trailing ``*`` clears every key it prefixes), each match with its ``.tmp``.

    Also removed: ``<file>.<uuid>.tmp``, the copy a lookup is writing before Lua's
    ``Cache.set`` renames it into place. A lookup that read the row just before the
    commit would otherwise land its stale copy after this delete; without its temp
    file the rename fails and Lua drops the copy. (PHP's ``.tmp`` unlink is
    unreachable: it runs only if the file still exists after its own unlink.)

    Raises ``OSError`` when the folder is missing or a file cannot be removed, so the
    report says ``failed`` instead of pretending the cache is clear.
    """
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"cache folder {folder} does not exist")
    name = file_name(key)
    stem, star = (name[:-1], "*") if name.endswith("*") else (name, "")
    base = os.path.join(glob.escape(folder), glob.escape(stem)) + star
    removed = []
    for pattern in (base, base + ".tmp", base + ".*.tmp"):
        for path in glob.glob(pattern):
            if os.path.isfile(path):
                try:
                    os.unlink(path)
                except FileNotFoundError:  # another writer removed or renamed it first
                    continue
                removed.append(path)
    return removed
