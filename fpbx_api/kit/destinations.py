"""What happens to a call: the one type every routing field goes through.

FreeSWITCH runs these values as they are stored: FusionPBX's ring-group Lua
calls ``session:execute(timeout_app, timeout_data)`` when nobody answers and
``transfer <forward destination> XML <context>`` when the group is forwarded;
the directory hands ``limit_destination`` to the ``limit`` application. A free
application name is therefore a shell on a switch every tenant shares, and a
free context is another tenant's private dialplan.

FusionPBX's forms offer only the values of its destination selector
(``app/destinations/resources/classes/destinations.php``, fed by the
``destinations`` arrays of each app's ``app_config.php``) and store a value
that fails ``destinations->valid()`` as empty. The API answers 400 instead of
storing NULL, so a client learns that its value was refused.

The shapes accepted (``DESTINATION_SHAPES`` is what the OpenAPI spec shows):

- ``transfer:<number> XML <domain>``: a number dialled in the caller's own
  context: an extension, ring group, IVR menu, call flow, conference, queue,
  fax server or time condition (``app_config.php`` of each), a mailbox as
  ``*99<mailbox>`` (voicemails), ``*98`` (check voicemail), ``*411`` (company
  directory), ``*732`` (record), or a number the domain's outbound routes
  handle. ``<domain>`` is the caller's domain name; ``transfer:<number>`` is
  accepted too and stored in the full form, as FusionPBX's selector writes it.
- ``bridge:group/<call group>@<domain>``: ring an extensions' call group.
- ``hangup:`` or ``hangup:<CAUSE>`` (a FreeSWITCH hangup cause such as
  ``USER_BUSY``).

Other entries of FusionPBX's selector are not accepted yet: bridges and
recordings (``bridge:<dial string>``, ``lua:streamfile.lua <file>``,
``playback:<path>``) carry dial strings and file paths that need their own
resources' checks, and no resource of the API manages them.

Fields come in four kinds, marked ``x-fpbx-destination`` in the spec so tests
can find every one: ``action`` (one column ``app:data``), ``app`` and ``data``
(split columns, named to each other by ``x-fpbx-destination-pair``, given
together), ``number`` (one dialable number the feature transfers in the
caller's context) and ``limit`` (``limit_destination``).
"""

from __future__ import annotations

import re

import marshmallow as ma

from fpbx_api.http.fields import no_control_chars
from fpbx_api.kit.scoping import domain_name

# One dialable number: digits, letters (FusionPBX allows named extensions), * # + _ . -
NUMBER = re.compile(r"[A-Za-z0-9*#+_.-]{1,64}")
CALL_GROUP = re.compile(r"[A-Za-z0-9_.-]{1,64}")
HANGUP_CAUSE = re.compile(r"[A-Z_]{1,64}")
# limit_destination: ``!CAUSE`` hangs up with that cause, anything else is one token the
# limit application transfers to in the caller's context ("error/user_busy" included).
LIMIT = re.compile(r"![A-Z_]{1,64}|[A-Za-z0-9*#+_./-]{1,64}")
APPLICATIONS = ("transfer", "bridge", "hangup")

DESTINATION_SHAPES = (
    "Accepted, as FusionPBX's destination selector offers them (anything else is a 400):"
    " `transfer:<number> XML <your domain>` (an extension, ring group, IVR, call flow,"
    " conference, queue, fax or time condition number, `*99<mailbox>` for voicemail,"
    " `*98`, `*411`, `*732`, or an outbound number; `transfer:<number>` is stored in that"
    " form), `bridge:group/<call group>@<your domain>`, `hangup:` or `hangup:<CAUSE>`."
    " Other applications and other domains' contexts are refused.")
NUMBER_SHAPE = ("One number (letters, digits, * # + _ . -), dialled in your domain's own "
                "context; a context, application or variable is refused.")
LIMIT_SHAPE = ("`!<CAUSE>` (hang up with that cause, e.g. `!USER_BUSY`) or one target the "
               "limit application transfers to in your domain's own context: a number, or "
               "a token of letters, digits and * # + _ . / - such as `error/user_busy`.")


def check_action(app: str, data: str) -> str:
    """The stored data of ``app`` with ``data``, or a ValidationError saying what fits."""
    own = domain_name()
    if app == "transfer":
        number, *rest = data.split(" ")
        if not NUMBER.fullmatch(number) or rest and (
                len(rest) != 2 or rest[0] != "XML" or rest[1].lower() != own.lower()):
            raise ma.ValidationError(f"Use '<number> XML {own}' (a number of your domain).")
        return f"{number} XML {own}"
    if app == "bridge":
        group, at, context = data.removeprefix("group/").rpartition("@")
        if not (data.startswith("group/") and at and CALL_GROUP.fullmatch(group)
                and context.lower() == own.lower()):
            raise ma.ValidationError(f"Use 'group/<call group>@{own}'.")
        return f"group/{group}@{own}"
    if app == "hangup":
        if data and not HANGUP_CAUSE.fullmatch(data):
            raise ma.ValidationError("Use nothing or a hangup cause such as USER_BUSY.")
        return data
    raise ma.ValidationError(f"Use one of: {', '.join(APPLICATIONS)}.")


def own_domain_only(value: str) -> None:
    """A validator for numbers a feature dials as ``<number>@<domain>`` (a ring group's
    members): the domain, when given, is the caller's own."""
    number, at, domain = value.rpartition("@")
    if at and domain.lower() != domain_name().lower():
        raise ma.ValidationError(f"Use the number alone or {number}@{domain_name()}.")


def _checked(value) -> str:
    if not isinstance(value, str):
        raise ma.ValidationError("Not a valid string.")
    no_control_chars(value)
    return value.strip()


class _DestinationField(ma.fields.Field):
    """A nullable string field marked ``x-fpbx-destination: <kind>`` in the spec, its
    description followed by the shapes it accepts; a one-token kind says its ``pattern``."""

    kind = example = shape = ""
    pattern: re.Pattern | None = None

    def __init__(self, description: str = "", *, partner: str | None = None, **kwargs):
        self.partner = partner
        spec = {"type": "string", "example": self.example, "x-fpbx-destination": self.kind,
                "description": f"{description} {self.shape}".strip()}
        if partner:
            spec["x-fpbx-destination-pair"] = partner
            spec["description"] = (f"{description} Given together with `{partner}`. "
                                   f"{self.shape}").strip()
        super().__init__(allow_none=True, metadata=spec, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = _checked(value)
        if text and not self.pattern.fullmatch(text):
            raise ma.ValidationError(self.shape)
        return text or None


class Destination(_DestinationField):
    """A destination kept in one column as ``app:data`` (``""``, ``:`` or null: none)."""

    kind, example, shape = "action", "transfer:1001 XML example.com", DESTINATION_SHAPES

    def _deserialize(self, value, attr, data, **kwargs):
        text = _checked(value)
        if text in ("", ":"):
            return None
        app, colon, rest = text.partition(":")
        if not colon:
            raise ma.ValidationError("Use app:data, e.g. transfer:1001 XML <your domain>.")
        return f"{app}:{check_action(app, rest)}"


class DestinationApp(_DestinationField):
    """The application column of a split destination; ``data`` names its data column."""

    kind, example, shape = "app", "transfer", DESTINATION_SHAPES

    def __init__(self, data: str, description: str = "", **kwargs):
        super().__init__(description, partner=data, **kwargs)
        self.metadata["enum"] = [*APPLICATIONS, ""]

    def _deserialize(self, value, attr, data, **kwargs):
        app = _checked(value)
        if self.partner not in data:
            raise ma.ValidationError(f"Give {self.partner} with it.")
        if app and app not in APPLICATIONS:
            raise ma.ValidationError(f"Use one of: {', '.join(APPLICATIONS)}.")
        if app and app != "hangup" and data[self.partner] in (None, ""):
            # a null partner is never deserialised, so the pair is judged whole here
            raise ma.ValidationError(f"Give {self.partner} with it.")
        return app or None


class DestinationData(_DestinationField):
    """The data column of a split destination, judged with its application column
    ``app``."""

    kind, example, shape = "data", "1001 XML example.com", DESTINATION_SHAPES

    def __init__(self, app: str, description: str = "", **kwargs):
        super().__init__(description, partner=app, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = _checked(value)
        if self.partner not in data:
            raise ma.ValidationError(f"Give {self.partner} with it.")
        app = data[self.partner]
        app = app.strip() if isinstance(app, str) else app
        if not app:
            if text:
                raise ma.ValidationError(f"Set {self.partner} too, or leave both empty.")
            return None
        if app not in APPLICATIONS:  # the application field reports it
            raise ma.ValidationError(f"Not valid with {self.partner} {app!r}.")
        return check_action(app, text) or None


class DestinationNumber(_DestinationField):
    """One number a feature transfers to in the caller's context (FusionPBX appends
    ``XML <context>`` itself, e.g. a ring group's forward destination)."""

    kind, example, shape, pattern = "number", "1001", NUMBER_SHAPE, NUMBER


class LimitDestination(_DestinationField):
    """Where the ``limit`` application sends a call over an extension's limit."""

    kind, example, shape, pattern = "limit", "!USER_BUSY", LIMIT_SHAPE, LIMIT


# --- IVR menu options ----------------------------------------------------------------------
# An option runs a mod_ivr action (FusionPBX's selector values for type 'ivr', the
# ``select_value['ivr']`` entries of each app_config.php, e.g.
# ``menu-exec-app:transfer 1001 XML example.com``), stored split on the first ':' into
# ``ivr_menu_option_action`` and ``ivr_menu_option_param``. ``menu-exec-app`` runs a
# dialplan application: the same three as every other destination, checked the same way.
IVR_ACTIONS = ("menu-exec-app", "menu-sub", "menu-top", "menu-back", "menu-exit")
IVR_SHAPES = (
    "Accepted (anything else is a 400): `menu-exec-app` with `transfer <number> XML <your "
    "domain>`, `bridge group/<call group>@<your domain>`, `hangup` or `hangup <CAUSE>`; "
    "`menu-sub` with the uuid of another IVR menu of your domain; `menu-top`, `menu-back`, "
    "`menu-exit` with nothing.")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def check_ivr_param(action: str, param: str) -> str | None:
    """The stored param of an IVR option ``action``, or a ValidationError."""
    if action == "menu-exec-app":
        app, _, data = param.partition(" ")
        if app not in APPLICATIONS:
            raise ma.ValidationError(f"Use '<application> <data>' with one of: "
                                     f"{', '.join(APPLICATIONS)}.")
        data = check_action(app, data)
        return f"{app} {data}" if data else app
    if action == "menu-sub":
        if not UUID.fullmatch(param.lower()):
            raise ma.ValidationError("Use the uuid of an IVR menu of your domain.")
        return param.lower()
    if param:
        raise ma.ValidationError(f"{action} takes no parameter.")
    return None


class IvrAction(_DestinationField):
    """An IVR option's action column; ``param`` names its parameter column."""

    kind, example, shape = "ivr-action", "menu-exec-app", IVR_SHAPES

    def __init__(self, param: str, description: str = "", **kwargs):
        super().__init__(description, partner=param, **kwargs)
        self.metadata["enum"] = list(IVR_ACTIONS)

    def _deserialize(self, value, attr, data, **kwargs):
        action = _checked(value)
        if action not in IVR_ACTIONS:
            raise ma.ValidationError(f"Use one of: {', '.join(IVR_ACTIONS)}.")
        if action in ("menu-exec-app", "menu-sub") and data.get(self.partner) in (None, ""):
            # a null partner is never deserialised, so the pair is judged whole here
            raise ma.ValidationError(f"Give {self.partner} with it.")
        return action


class IvrParam(_DestinationField):
    """An IVR option's parameter column, judged with its action column ``action``."""

    kind, example, shape = "ivr-param", "transfer 1001 XML example.com", IVR_SHAPES

    def __init__(self, action: str, description: str = "", **kwargs):
        super().__init__(description, partner=action, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = _checked(value)
        action = data.get(self.partner)
        action = action.strip() if isinstance(action, str) else action
        if action is None:  # a partial update gives the pair together
            raise ma.ValidationError(f"Give {self.partner} with it.")
        if action not in IVR_ACTIONS:  # the action field reports it
            raise ma.ValidationError(f"Not valid with {self.partner} {action!r}.")
        return check_ivr_param(action, text)
# --- applications in dialplan details -------------------------------------------------
# The generic dialplan editor (``app/dialplans/dialplan_edit.php``) lets a user write any
# application FreeSWITCH knows, less those it drops from its list (system, spawn,
# bg_spawn, spawn_stream) and a preg_match on "system"/"spawn" in the posted values that
# does nothing (it assigns the value either way). Here a detail's application and data
# go through one of three lists (the README's "Dialplan applications" table):
#
# - NEVER: a shell or inline code on a switch every tenant shares. Refused for every key.
# - TENANT_APPLICATIONS: what a domain needs to route its own calls, each with a check
#   of its data that keeps the call in the caller's domain (``_tenant_data``).
# - SYSTEM_APPLICATIONS: what a PBX administrator needs (Lua scripts, any bridge, any
#   variable, recording, conferences, queues…): a system-scope key only (403 otherwise).
#   Their data may use ``${…}`` API calls of ``SYSTEM_EXPANSIONS`` only.
NEVER = frozenset({"system", "bgsystem", "bg_system", "spawn", "bg_spawn", "spawn_stream",
                   "python", "perl", "javascript", "java", "mono"})
# Channel variables a tenant may set, export or unset: caller ID, ringback and music,
# timeouts and bridge behaviour of its own calls. Not domain_name/domain_uuid/context
# (another tenant's identity), execute_on_*/api_* hooks (commands), record_path (files
# of other tenants), presence_id (other tenants' lamps).
TENANT_VARIABLES = frozenset({
    "effective_caller_id_name", "effective_caller_id_number", "outbound_caller_id_name",
    "outbound_caller_id_number", "callee_id_name", "callee_id_number", "call_timeout",
    "continue_on_fail", "hangup_after_bridge", "ringback", "transfer_ringback",
    "instant_ringback", "hold_music", "ignore_early_media", "ignore_display_updates",
    "inherit_codec", "call_direction", "timezone", "limit_max", "record_stereo",
    "sip_cid_type", "absolute_codec_string", "bypass_media", "proxy_media",
    "fail_on_single_reject", "leg_timeout", "originate_timeout", "cid_name_prefix",
})
TENANT_APPLICATIONS = ("answer", "pre_answer", "ring_ready", "hangup", "sleep", "transfer",
                       "bridge", "playback", "set", "export", "unset", "voicemail",
                       "respond", "log", "limit", "echo", "park")
SYSTEM_APPLICATIONS = frozenset({
    *TENANT_APPLICATIONS, "lua", "record_session", "stop_record_session", "record",
    "conference", "callcenter", "fifo", "socket", "db", "hash", "group", "multiset",
    "info", "read", "play_and_get_digits", "say", "phrase", "speak", "gentones",
    "endless_playback", "tone_detect", "stop_tone_detect", "bind_meta_app",
    "bind_digit_action", "digit_action_set_realm", "sched_hangup", "sched_transfer",
    "execute_extension", "ivr", "intercept", "eavesdrop", "valet_park", "redirect",
    "deflect", "send_display", "rxfax", "txfax", "t38_gateway", "event", "enum",
    "detect_speech", "set_global", "set_profile_var", "set_user", "export_vars",
    "sound_test", "delay_echo", "wait_for_answer", "att_xfer", "limit_execute",
    "meta_app", "pickup", "queue_dtmf", "send_dtmf", "start_dtmf", "stop_dtmf", "unbind_meta_app",
})
# ``${name(args)}`` API calls a system-scope key may write (FusionPBX's own dialplans use
# strftime in record paths, cond/expr in conditions, user_data for extension settings).
SYSTEM_EXPANSIONS = frozenset({"strftime", "expr", "cond", "user_data", "regex", "db",
                               "hash", "uuid", "strepoch", "md5"})
EXPANSION_START = re.compile(r"\$\{(?:([A-Za-z0-9_-]+)([}(]))?")
SOUND = re.compile(r"(?:tone_stream|silence_stream)://[A-Za-z0-9%(),;.=@ +-]{1,200}"
                   r"|\$\{[A-Za-z0-9_-]+\}|(?!/)(?!.*\.\.)[A-Za-z0-9_./-]{1,200}")
VARIABLE = re.compile(r"([A-Za-z0-9_-]{1,64})(?:=(.*))?", re.S)
OWN_CONTEXT = "${domain_name}"


def application_scope(app: str, data: str | None) -> str:
    """``"tenant"`` when any key may write ``app`` with ``data``, ``"system"`` when only a
    system-scope key may; a ``ma.ValidationError`` (400) for what no key may write."""
    data = "" if data is None else data
    if not isinstance(app, str) or not isinstance(data, str):
        raise ma.ValidationError("Not a valid string.")
    no_control_chars(app + data)
    if app in NEVER or app not in SYSTEM_APPLICATIONS:
        raise ma.ValidationError(f"{app!r} is not an application a dialplan may run here "
                                 "(see the README's dialplan applications).")
    if app == "lua" and not re.fullmatch(r"[A-Za-z0-9_./-]+\.lua(?: .*)?", data, re.S):
        raise ma.ValidationError("lua runs a script file: '<script>.lua [arguments]' "
                                 "(inline code with '~' is refused).")
    if app not in TENANT_APPLICATIONS or expansion_scope(data) == "system":
        return "system"
    return "tenant" if _tenant_data(app, data) else "system"


def expansion_scope(value: str) -> str:
    """``"tenant"`` when ``value`` expands plain ``${variable}``s only, ``"system"`` when
    it also calls APIs of ``SYSTEM_EXPANSIONS``; a ValidationError for any other
    ``${``: another API call (``${system(…)}`` is a shell), or one built at run time
    (``${${a}(…)}``)."""
    scope = "tenant"
    for match in EXPANSION_START.finditer(value):
        name, end = match.groups()
        if name is None:
            raise ma.ValidationError("Only ${variable} or ${api(…)} may follow ${.")
        if end == "(":
            if name not in SYSTEM_EXPANSIONS:
                raise ma.ValidationError(
                    f"${{{name}(…)}} runs the API command {name}; allowed: "
                    f"{', '.join(sorted(SYSTEM_EXPANSIONS))}.")
            scope = "system"
    return scope


def _tenant_data(app: str, data: str) -> bool:
    """Whether ``data`` keeps ``app`` inside the caller's domain (else: system only)."""
    own = {domain_name().lower(), OWN_CONTEXT}
    words = data.split(" ")
    if app in ("answer", "pre_answer", "ring_ready", "echo", "park"):
        return data == ""
    if app == "hangup":
        return data == "" or bool(HANGUP_CAUSE.fullmatch(data))
    if app == "sleep":
        return bool(re.fullmatch(r"[0-9]{1,6}", data))
    if app == "transfer":
        target = re.compile(r"[A-Za-z0-9*#+_.-]{1,64}|\$[0-9]")
        return bool(target.fullmatch(words[0])) and (
            len(words) == 1 or len(words) == 3 and words[1] == "XML"
            and words[2].lower() in own)
    if app == "bridge":
        kind, _, rest = data.partition("/")
        member, at, domain = rest.rpartition("@")
        return (kind in ("user", "group") and bool(at) and domain.lower() in own
                and bool(re.fullmatch(r"[A-Za-z0-9*#+_.$-]{1,64}", member)))
    if app == "playback":
        return bool(SOUND.fullmatch(data))
    if app in ("set", "export", "unset"):
        match = VARIABLE.fullmatch(data)
        if not match or match[1] not in TENANT_VARIABLES or app == "unset" and match[2]:
            return False
        return True
    if app == "voicemail":
        return (len(words) == 3 and words[0] == "default" and words[1].lower() in own
                and bool(re.fullmatch(r"[0-9A-Za-z_$-]{1,64}", words[2])))
    if app == "respond":
        return bool(re.fullmatch(r"[1-6][0-9]{2}(?: [A-Za-z ]{1,64})?", data))
    if app == "log":
        return bool(re.fullmatch(r"(?:DEBUG|INFO|NOTICE|WARNING|ERR|CRIT|ALERT) [^{}]{0,255}",
                                 data))
    if app == "limit":
        return (len(words) in (4, 5) and words[0] == "hash" and words[1].lower() in own
                and bool(re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", words[2]))
                and bool(re.fullmatch(r"[0-9]{1,6}|\$\{limit_max\}", words[3]))
                and (len(words) == 4 or bool(LIMIT.fullmatch(words[4]))))
    return False



# --- call block actions ----------------------------------------------------------------
# What FusionPBX's call block form offers (app/call_block/call_block_edit.php) and its
# Lua runs (app/switch/resources/scripts/app/call_block/index.lua): a SIP answer, hold
# music, or a transfer to a number of the domain ("<number> XML <domain>", "*99<box>").
CALL_BLOCK_ANSWERS = ("reject", "busy", "hold")
CALL_BLOCK_TRANSFERS = ("extension", "ivr", "ring_group", "voicemail")
CALL_BLOCK_SHAPE = (
    "`reject`, `busy` or `hold`, or a number of your domain the blocked call is sent to:"
    " `extension:<number>`, `ivr:<number>`, `ring_group:<number>`, `voicemail:<mailbox>`."
    " Anything else is a 400.")


class CallBlockAction(_DestinationField):
    """A call block's action as the form posts it (``app:data``); loaded as the pair
    ``(app, data)`` FusionPBX stores in ``call_block_app``/``call_block_data``."""

    kind, example, shape = "action", "voicemail:1001", CALL_BLOCK_SHAPE

    def _deserialize(self, value, attr, data, **kwargs):
        text = _checked(value)
        app, colon, rest = text.partition(":")
        if app in CALL_BLOCK_ANSWERS and not rest:
            return app, None
        if app in CALL_BLOCK_TRANSFERS and colon and NUMBER.fullmatch(rest):
            return app, rest
        raise ma.ValidationError(CALL_BLOCK_SHAPE)
