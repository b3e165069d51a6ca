"""Marshmallow fields for FusionPBX's value conventions: booleans as "true"/"false", an
empty form field as NULL."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import marshmallow as ma
import sqlalchemy as sa


class Pattern(ma.validate.Regexp):
    """A regular expression the WHOLE value must match.

    ``Regexp`` uses ``re.match``, and a pattern ending in ``$`` also matches just before a
    final newline: ``"1002\n"`` passed and reached FreeSWITCH's ``uuid_transfer``, and a
    ring group's dialplan expression never matched. ``fullmatch`` has no such gap. The
    pattern stays anchored (``^…$``) because that is how JSON Schema reads it in the spec.
    """

    def __call__(self, value):
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        no_api_calls(value)
        return value


# FreeSWITCH expands ``${name}`` in the variables and application data FusionPBX's Lua
# sets from these values (``session:execute("export", ...)`` in
# ``app/switch/resources/scripts/app/ring_groups/index.lua``), and ``${name(args)}`` there
# runs the API command ``name`` (``switch_channel_expand_variables``): ``${system(...)}``
# is a shell on the switch. Only a plain variable name may follow ``${``, as in
# FusionPBX's own ``${us-ring}`` and ``$${hold_music}``; that also refuses nesting
# (``${${a}}``) and substrings (``${a:0:3}``).
EXPANSION = re.compile(r"\$\{(?![A-Za-z0-9_-]+\})")


def no_api_calls(value: str) -> None:
    """Reject a ``${`` that is not a plain variable name (see EXPANSION)."""
    if EXPANSION.search(value):
        raise ma.ValidationError("Only a variable name may follow ${ (e.g. ${us-ring}); "
                                 "FreeSWITCH runs ${command(...)} as an API command.")


# A dialable number of a domain (extension, alias, ring group…): one token FreeSWITCH,
# cache keys and the directory can carry as is.
NUMBER = Pattern(r"^[A-Za-z0-9*#+_.-]{1,32}$",
                 error="Use 1 to 32 of: letters, digits, * # + _ . -")
# Values FusionPBX's Lua writes into a dial string's variable block (``[a=b,c=d]`` or
# ``{…}``): a ring group's callee gets ``hold_music=<the extension's hold_music>`` and,
# quoted in ``'…'``, ``origination_caller_id_name`` (``app/ring_groups/index.lua`` under
# ``app/switch/resources/scripts``; ``call_forward.lua`` and ``app/follow_me/index.lua``
# put caller IDs, toll_allow and accountcode there unquoted). A comma would add channel
# variables of the caller's choosing, a bracket, brace or quote end the block or the value.
# A ``${name}`` variable stays valid there (FusionPBX's default hold music is
# ``$${hold_music}``).
class DialStringPart(ma.validate.Validator):
    """The whole value is one item of a dial string's variable block. Not a ``Pattern``
    (and no ``regex`` attribute, which apispec would publish): schemathesis rewrites the
    braces of ``${name}`` in a spec's pattern into a regex it then cannot compile."""

    def __init__(self, refused: str, error: str):
        plain = rf"[^{refused}{{}}$]"
        self.allowed = re.compile(rf"(?:{plain}|\$+(?:{plain}|\{{[A-Za-z0-9_-]+\}}))+\$*")
        self.error = error

    def __call__(self, value: str) -> str:
        if self.allowed.fullmatch(value) is None:
            raise ma.ValidationError(self.error)
        return value


DIAL_STRING_VALUE = DialStringPart(r"\s,\[\]'\"", "Must not contain spaces, commas, brackets, "
                                   "braces or quotes (it goes into FreeSWITCH dial strings).")
DIAL_STRING_NAME = DialStringPart(r",\[\]'\"", "Must not contain commas, brackets, braces or "
                                  "quotes (it goes into FreeSWITCH dial strings).")
# Whole numbers as ASCII digits, bounded before int() sees them: str.isdigit() passes "²"
# (int() refuses it) and "١٢" (int() reads it), and int() refuses over 4,300 digits.
DIGITS = re.compile(r"[0-9]{1,18}")
INTEGER = re.compile(r"-?[0-9]{1,18}")


def whole_number(text: str) -> int | None:
    """``text`` as an int when it is 1 to 18 ASCII digits, else None."""
    return int(text) if DIGITS.fullmatch(text) else None


class BoolString(ma.fields.Field):
    """A FusionPBX boolean: dumped as ``"true"``/``"false"`` (NULL as ``"false"``),
    loaded from those strings or from JSON booleans."""

    default_error_messages = {"invalid": 'Must be "true" or "false".'}

    def __init__(self, **kwargs):
        metadata = {"type": "string", "enum": ["true", "false"], **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return "true" if value else "false"

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise self.make_error("invalid")


class Text(ma.fields.String):
    """Free text as FusionPBX stores it: trimmed, ``""`` becomes NULL, bounded length,
    no control characters (they would end up in XML and event-socket commands) and no
    FreeSWITCH API expansion (``no_api_calls``)."""

    def __init__(self, max_length: int = 255, validate=(), **kwargs):
        extra = [validate] if callable(validate) else list(validate)
        validators = [ma.validate.Length(max=max_length), no_control_chars, no_api_calls,
                      *extra]
        super().__init__(validate=validators, allow_none=not kwargs.get("required"), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        # Control characters are refused as sent, before trimming: a trailing newline is
        # an error to report, not whitespace to drop silently.
        text = super()._deserialize(value, attr, data, **kwargs)
        no_control_chars(text)
        text = text.strip()
        if not text and self.required:
            raise ma.ValidationError("Must not be empty.")
        return text or None

    def _validate(self, value):
        """Validators judge text; an empty value (stored as NULL) has nothing to judge."""
        if value is not None:
            super()._validate(value)


class Pin(Text):
    """A PIN callers key in on a phone keypad (an IVR menu's, a call flow's, a conference's,
    a fax account's, an agent's login): ASCII digits, 1 to ``digits`` of them. FusionPBX
    keeps PINs as text and its Lua compares them with the digits a caller keys, so any other
    character makes a PIN nobody can enter.

    ``keep_digits`` drops the other characters first, as conference_room_edit.php does
    ("112 233" is 112233; digits of other scripts are kept, so refused). ``words`` are
    values besides digits FusionPBX gives a meaning (an outbound route's "database": the
    caller's PIN is looked up in the PIN numbers app)."""

    def __init__(self, digits: int = 32, *, keep_digits: bool = False,
                 words: tuple[str, ...] = (), **kwargs):
        self.keep_digits = keep_digits
        choices = "|".join([f"[0-9]{{1,{digits}}}", *map(re.escape, words)])
        besides = "".join(f", or {word!r}" for word in words)
        super().__init__(max_length=max([digits, *map(len, words)]), validate=Pattern(
            f"^({choices})$", error=f"Use 1 to {digits} digits{besides} (keyed in on a phone "
                                    "keypad)."), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if self.keep_digits and text:
            text = re.sub(r"\D", "", text) or None
        return text


def no_control_chars(value: str) -> None:
    """Reject control characters: NUL cannot be stored by PostgreSQL at all, and the others
    would end up in XML, event-socket commands or logs."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ma.ValidationError("Must not contain control characters.")


class Query(ma.fields.String):
    """A query-string value: at most ``max_length`` printable characters."""

    def __init__(self, max_length: int = 255, **kwargs):
        validate = kwargs.pop("validate", None)
        extra = [validate] if callable(validate) else list(validate or ())
        super().__init__(validate=[ma.validate.Length(max=max_length), no_control_chars, *extra],
                         **kwargs)


class NumberString(ma.fields.String):
    """A number FusionPBX keeps in a text column; the contract shows it as a string.
    ASCII digits up to ``maximum`` (the column's range); ``""`` is NULL."""

    def __init__(self, maximum: int = 1_000_000, **kwargs):
        self.maximum = maximum
        metadata = {"pattern": "^[0-9]*$", **kwargs.pop("metadata", {})}
        super().__init__(allow_none=True, metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        """A ``numeric`` column reads as a Decimal carrying its stored scale on SQLite
        (``Decimal("20.0000000000")``, ``0E-10``): a whole number is written as its digits,
        as PostgreSQL returns it."""
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return str(int(value))
        return None if value is None else str(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = super()._deserialize(value, attr, data, **kwargs)
        if text == "":
            return None
        number = whole_number(text)
        if number is None or number > self.maximum:
            raise ma.ValidationError(f"Must be a whole number from 0 to {self.maximum}.")
        return text


class EmptyIsNull:
    """``""`` is null where the field allows null: FusionPBX stores an empty form field
    as NULL, and the contract's own examples send ``""`` for "not set"."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if value == "" and self.allow_none:
            value = None
        return super().deserialize(value, attr, data, **kwargs)


class Integer(EmptyIsNull, ma.fields.Integer):
    """An integer, from a JSON number or a string of ASCII digits (the contract writes
    ``"expire_seconds": "800"``). Plain ``int()`` would also read "١٢", "1_000", " 8"."""

    def _validated(self, value):
        # marshmallow's non-strict Integer truncates a fraction (3.7 is 3): refused, as
        # the same value in a string is
        if isinstance(value, str) and not INTEGER.fullmatch(value) or \
                isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Uuid(EmptyIsNull, ma.fields.UUID):
    """A uuid, as a lowercase string (``""`` for a nullable link: none)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return str(super()._deserialize(value, attr, data, **kwargs))


class Number(ma.fields.Field):
    """A FusionPBX ``numeric``: an integer when whole (most are), else a float."""

    def __init__(self, **kwargs):
        super().__init__(allow_none=True, metadata={"type": "number"}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return int(value) if value == int(value) else float(value)


class DateOrTime(ma.fields.Field):
    """``YYYY-MM-DD`` (a whole day, as a date) or an ISO 8601 date-time (with or without
    an offset; without one it is read in the domain's time zone)."""

    default_error_messages = {"invalid": "Use YYYY-MM-DD or an ISO 8601 date-time."}

    def __init__(self, **kwargs):
        metadata = {"type": "string", "example": "2024-01-31", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or len(value) > 40:
            raise self.make_error("invalid")
        try:
            if len(value) == 10:
                return date.fromisoformat(value)
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise self.make_error("invalid") from None


def output_schema(name: str, model, columns: list[str], base: type[ma.Schema] = ma.Schema,
                  **extra: ma.fields.Field) -> type[ma.Schema]:
    """A response schema whose fields follow the FusionPBX column types of ``model``:
    booleans as "true"/"false", numbers as numbers, text and uuids as strings or null."""
    table = model.__table__.columns
    fields = {}
    for column in columns:
        kind = table[column].type
        if isinstance(kind, sa.Boolean):
            fields[column] = BoolString()
        elif isinstance(kind, sa.Numeric):
            fields[column] = Number()
        else:
            fields[column] = ma.fields.String(allow_none=True)
    return type(name, (base,), {**fields, **extra})
