"""References a schema cannot check: the row they name must be the caller's domain's.

A resource declares them, field to model, and the kit checks every one the request
sets before anything is written (a 400 naming the field; null unlinks and passes):

    references = {"user_uuid": User}
    references = {"user_uuid": Reference(User, "user")}     # the label, when guessed wrong
    references = {"users.user_uuid": User}                   # each item of a list field
    references = {"gateway_uuid": Reference(Gateway, scope="global")}  # or a global one

The value is looked up by the referenced model's primary key, among the rows ``scope``
shows the caller (fpbx_api.kit.scoping.visible; default: the caller's domain's).
"""

from __future__ import annotations

from dataclasses import dataclass

from fpbx_api import db
from fpbx_api.http.errors import validation_error
from fpbx_api.kit.scoping import visible


@dataclass(frozen=True)
class Reference:
    model: type
    label: str = ""  # "No such <label> in this domain."; default: the table's name
    scope: str = "domain"

    @classmethod
    def of(cls, target) -> Reference:
        """A declared model or ``Reference``; ``v_ring_groups`` reads "ring group"."""
        ref = target if isinstance(target, Reference) else cls(target)
        if ref.label:
            return ref
        words = ref.model.__tablename__.removeprefix("v_").removesuffix("s").replace("_", " ")
        return cls(ref.model, words, ref.scope)

    def exists(self, value) -> bool:
        key = self.model.__mapper__.primary_key[0]
        stmt = visible(self.model, self.scope).where(key == str(value))
        return db.session().scalars(stmt).first() is not None


def check_references(references: dict, values: dict) -> None:
    """400 for the first value of ``values`` that names no row of the caller's domain."""
    for path, target in references.items():
        ref = Reference.of(target)
        for field, value in _values_at(path, values):
            if value is not None and not ref.exists(value):
                raise validation_error(field, f"No such {ref.label} in this domain.")


def _values_at(path: str, values: dict) -> list[tuple[str, object]]:
    """``("user_uuid", v)`` for a field; ``("users.0.user_uuid", v)``… for ``users.user_uuid``
    where ``users`` is a list of objects (error fields as marshmallow's nested ones)."""
    field, _, inner = path.partition(".")
    if field not in values:
        return []
    if not inner:
        return [(field, values[field])]
    return [(f"{field}.{i}.{inner}", item.get(inner))
            for i, item in enumerate(values[field] or [])]
