"""Passwords as FusionPBX's PHP keeps them: bcrypt ``$2y$``, cost 10, salt column NULL."""

from __future__ import annotations

import re

import bcrypt
import marshmallow as ma

from fpbx_api.fusionpbx.settings import int_setting, setting
from fpbx_api.http.errors import validation_error

RULES = [("password_number", r"[0-9]", "a number"),
         ("password_lowercase", r"[a-z]", "a lowercase letter"),
         ("password_uppercase", r"[A-Z]", "an uppercase letter"),
         ("password_special", r"[^A-Za-z0-9]", "a special character")]
BCRYPT_MAX_BYTES = 72  # bcrypt reads no further (and the bcrypt package refuses more)
DEFAULTS = {"password_number": "true", "password_lowercase": "true",
            "password_uppercase": "true", "password_special": "false"}


def fits_bcrypt(password: str) -> None:
    """Schema validator: bcrypt limits bytes, not characters (72 bytes of UTF-8 can be 24
    characters), and PHP's bcrypt refuses a NUL character."""
    if len(password.encode("utf-8", "surrogatepass")) > BCRYPT_MAX_BYTES:
        raise ma.ValidationError(f"password must be at most {BCRYPT_MAX_BYTES} bytes "
                                 "in UTF-8 (bcrypt's limit).")
    if "\x00" in password:
        raise ma.ValidationError("password must not contain a NUL character.")


def check_policy(password: str) -> None:
    """400 unless the password meets the users/password_* settings."""
    length = int_setting("users", "password_length", 12)
    missing = [what for name, pattern, what in RULES
               if setting("users", name, DEFAULTS[name]) == "true"
               and not re.search(pattern, password)]
    if len(password) < length:
        missing.insert(0, f"at least {length} characters")
    if missing:
        raise validation_error("password", "Must contain " + ", ".join(missing) + ".")


def hash_password(password: str) -> str:
    """PHP's password_hash(PASSWORD_DEFAULT): the same bcrypt, under the $2y$ prefix."""
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=10)).decode()
    return "$2y$" + hashed[4:]


def verify_password(password: str, hashed: str) -> bool:
    """PHP's password_verify for a $2y$ hash."""
    return bcrypt.checkpw(password.encode(), hashed.encode())
