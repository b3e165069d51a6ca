"""FusionPBX's password generator (``resources/functions.php``, ``generate_password``)."""

from __future__ import annotations

import secrets

PASSWORD_POOLS = ("0123456789", "abcdefghijkmnopqrstuvwxyz",
                  "ABCDEFGHIJKLMNPQRSTUVWXYZ", "!^$%*?.")


def generate_password(length: int, strength: int) -> str:
    """FusionPBX's generator: pools of digits, lowercase (no l), uppercase (no O), specials."""
    pool = "".join(PASSWORD_POOLS[:max(1, min(strength, 4))])
    return "".join(secrets.choice(pool) for _ in range(max(1, length)))
