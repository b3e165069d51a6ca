"""What a password change ends, as FusionPBX's own change does (core/users/user_edit.php):
the user's "remember me" logins, and a "Password Changed" entry in the user log. Disabling
or deleting the user ends those logins too.

FusionPBX 5.6 keeps a remember-me token as ``remember_selector``/``remember_validator``
on the ``v_user_logs`` row of the login that issued it, and logs in whoever presents a
selector still there (``remember_me`` class, resources/classes/remember_me.php). Clearing
them, as ``remember_me::delete_user_tokens()`` does, makes every such cookie useless.
FusionPBX 5.5 has neither the columns nor remember-me logins.
"""

from __future__ import annotations

import socket

from flask import request
from sqlalchemy import update

from fpbx_api import db
from fpbx_api.fusionpbx.models import User, UserLog
from fpbx_api.fusionpbx.rows import new_uuid, now
from fpbx_api.http.security import client_address
from fpbx_api.kit.scoping import domain_uuid


def end_remembered_logins(user: User) -> None:
    """Also when the user is disabled or deleted: FusionPBX leaves the tokens then, and
    its ``remember_me::authenticate()`` answers "authorized" for a token whose user it
    no longer finds (a FusionPBX bug)."""
    if db.has_column(UserLog.__tablename__, "remember_selector"):
        db.session().execute(update(UserLog).where(UserLog.user_uuid == user.user_uuid)
                             .values(remember_selector=None, remember_validator=None))


def log_password_change(user: User) -> None:
    """The row ``user_logs::add()`` writes (core/user_logs/resources/classes/user_logs.php).
    FusionPBX writes it only when the user has a valid e-mail address, a slip in its
    page; the API records every change."""
    stamp = now()
    db.session().add(UserLog(
        user_log_uuid=new_uuid(), domain_uuid=domain_uuid(), user_uuid=user.user_uuid,
        username=user.username, hostname=socket.gethostname(), timestamp=stamp,
        type="Password Changed", result="success", remote_address=client_address(),
        user_agent=request.headers.get("User-Agent", ""), insert_date=stamp))
