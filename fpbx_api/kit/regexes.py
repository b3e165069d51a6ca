"""Regular expressions a tenant gives (dialplan conditions, outbound-route patterns,
number translations): FreeSWITCH matches them (PCRE) on every call, against numbers and
names the caller chooses, and PostgreSQL reads some of them too (``~`` in FusionPBX's
queries). So a pattern is refused (400) unless:

* it is at most ``MAX_LENGTH`` characters of printable text, with no ``${…}`` API call;
* it parses (Python's ``re`` parser, PCRE's syntax less PCRE-only extensions) and every
  counted repetition is at most ``MAX_COUNT``: compile time and size are bounded by
  construction, before anything compiles it;
* it cannot backtrack catastrophically: no variable-length repetition inside a repeated
  group (``(a+)+``, ``(\\d{1,3})*``), no repeated alternation whose branches can start
  with the same character (``(a|ab)*``), no back-reference inside a repetition. Such
  a pattern is refused on its shape, never tried: a match that takes exponential time
  would block a FreeSWITCH thread (or this worker) for good;
* PostgreSQL compiles it, under a statement timeout of ``PG_TIMEOUT_MS``.
"""

from __future__ import annotations

import re
import re._constants as C
import re._parser as sre

import marshmallow as ma
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from fpbx_api import db
from fpbx_api.http.fields import no_api_calls, no_control_chars

MAX_LENGTH = 255
MAX_COUNT = 255  # PostgreSQL's limit (RE_DUP_MAX); FreeSWITCH's PCRE allows more
PG_TIMEOUT_MS = 200
REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}


def check_regex(pattern: str) -> str:
    """``pattern`` when FreeSWITCH and PostgreSQL can run it safely; else a
    ``ma.ValidationError`` saying why (usable as a marshmallow validator)."""
    if not isinstance(pattern, str):
        raise ma.ValidationError("Not a valid string.")
    if len(pattern) > MAX_LENGTH:
        raise ma.ValidationError(f"A regular expression has at most {MAX_LENGTH} characters.")
    no_control_chars(pattern)
    no_api_calls(pattern)
    try:
        tree = sre.parse(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        raise ma.ValidationError(f"Not a valid regular expression: {error}") from None
    _check_shape(tree, repeated=False)
    _check_postgresql(pattern)
    return pattern


def _check_shape(items, *, repeated: bool) -> None:
    """Walk the parse tree; ``repeated``: inside a group that repeats."""
    for op, av in items:
        if op in REPEATS:
            low, high, body = av
            for count in (low, high):
                if count != C.MAXREPEAT and count > MAX_COUNT:
                    raise ma.ValidationError(
                        f"Repetition counts are at most {MAX_COUNT}.")
            if repeated and low != high:
                raise ma.ValidationError(
                    "A variable repetition inside a repeated group (such as (a+)+) can "
                    "backtrack catastrophically; it is refused.")
            _check_shape(body, repeated=repeated or high > 1)
        elif op == C.BRANCH:
            branches = av[1]
            if repeated and _overlapping(branches):
                raise ma.ValidationError(
                    "A repeated alternation whose branches can start alike (such as "
                    "(a|ab)*) can backtrack catastrophically; it is refused.")
            for branch in branches:
                _check_shape(branch, repeated=repeated)
        elif op in (C.GROUPREF, C.GROUPREF_EXISTS) and repeated:
            raise ma.ValidationError("A back-reference inside a repetition is refused.")
        elif op == C.SUBPATTERN:
            _check_shape(av[3], repeated=repeated)
        elif op == C.ATOMIC_GROUP:
            _check_shape(av, repeated=repeated)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _check_shape(av[1], repeated=repeated)
        elif op == C.GROUPREF_EXISTS:
            for branch in av[1:]:
                if branch is not None:
                    _check_shape(branch, repeated=repeated)


def _first_chars(items) -> frozenset | None:
    """The characters a branch can start with, when that is a known literal set
    (None: anything, or not worth working out)."""
    if not items:
        return None
    op, av = items[0]
    if op == C.LITERAL:
        return frozenset({av})
    if op == C.SUBPATTERN:
        return _first_chars(av[3])
    if op == C.IN:
        chars = set()
        for kind, value in av:
            if kind == C.LITERAL:
                chars.add(value)
            elif kind == C.RANGE and value[1] - value[0] < 256:
                chars.update(range(value[0], value[1] + 1))
            elif kind == C.CATEGORY and value == C.CATEGORY_DIGIT:
                chars.update(range(0x30, 0x3A))
            else:
                return None
        return frozenset(chars)
    return None


def _overlapping(branches) -> bool:
    seen: set = set()
    for branch in branches:
        first = _first_chars(branch)
        if first is None or first & seen:
            return True
        seen |= first
    return False


def _check_postgresql(pattern: str) -> None:
    """PostgreSQL's own compile, time-bounded; the savepoint is always rolled back, so
    the short timeout ends with it and a failure leaves the request's transaction
    usable."""
    session = db.session()
    if session.get_bind().dialect.name != "postgresql":
        return
    savepoint = session.begin_nested()
    try:
        session.execute(text("SELECT set_config('statement_timeout', :ms, true)"),
                        {"ms": f"{PG_TIMEOUT_MS}ms"})
        session.execute(text("SELECT '' ~ :pattern"), {"pattern": pattern})
    except DBAPIError as error:
        reason = str(getattr(error.orig, "pgerror", "") or "").strip().splitlines()
        raise ma.ValidationError("PostgreSQL cannot use this regular expression"
                                 + (f": {reason[0]}" if reason else ".")) from None
    finally:
        savepoint.rollback()


class Regex(ma.fields.String):
    """A regular expression field, checked by ``check_regex``."""

    def __init__(self, **kwargs):
        validate = kwargs.pop("validate", None)
        extra = [validate] if callable(validate) else list(validate or ())
        metadata = {"description": "A regular expression (PCRE, as FreeSWITCH reads it). "
                    "Refused: longer than 255 characters, repetition counts over 255, "
                    "shapes that backtrack catastrophically ((a+)+, (a|ab)*), and what "
                    "PostgreSQL cannot compile.", **kwargs.pop("metadata", {})}
        super().__init__(validate=[check_regex, *extra], metadata=metadata, **kwargs)
