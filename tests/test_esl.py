"""The event-socket layer on real FreeSWITCH 1.11.2 captures: parsers, the simulator's
frames compared with the real ones, and failures bounded by the deadline."""

from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path

import pytest

from fpbx_api.freeswitch import esl
from fpbx_api.freeswitch.simulator import Simulator
from fpbx_api.freeswitch.switches import channel_domain, parse_registrations, parse_rows

CAPTURES = Path(__file__).parent / "fixtures" / "freeswitch"
A_LEG = "de91b8d2-4a2a-4bfa-b252-89ea081c019a"
B_LEG = "70670e1a-ce27-4d55-a1f7-3aa495398cfd"


def body(name: str) -> str:
    return (CAPTURES / name).read_bytes().decode("latin-1")


# --- parsers on the real captures -----------------------------------------------------------

def test_show_channels_as_json():
    assert parse_rows(body("idle/05_api_show_channels_as_json.body.json")) == []
    (one,) = parse_rows(body("call/03_api_show_channels_as_json_1call.body.json"))
    assert (one["uuid"], one["dest"], one["state"]) == (A_LEG, "9999", "CS_EXECUTE")
    bridged = parse_rows(body("call/16_api_show_channels_as_json_bridged.body.json"))
    assert [r["uuid"] for r in bridged] == [A_LEG, B_LEG]
    assert bridged[1]["call_uuid"] == A_LEG
    assert parse_rows(body("call/21_api_show_channels_as_json_after_kill.body.json")) == []


def test_show_calls_as_json():
    assert parse_rows(body("idle/06_api_show_calls_as_json.body.json")) == []
    (call,) = parse_rows(body("call/17_api_show_calls_as_json_bridged.body.json"))
    assert (call["uuid"], call["b_uuid"]) == (A_LEG, B_LEG)


def test_sofia_xmlstatus_reg():
    assert parse_registrations(body("idle/10_api_sofia_xmlstatus_profile_internal_reg.body.xml"),
                               "internal") == []
    rows = parse_registrations(body("call/07_api_sofia_xmlstatus_profile_internal_reg.body.xml"),
                               "internal")
    assert [r["user"] for r in rows] == ["1001@127.0.0.1", "1002@127.0.0.1"]
    assert rows[0]["contact"] == '"" <sip:1001@127.0.0.1:5071>'
    assert rows[1]["network-port"] == "5073" and rows[0]["profile"] == "internal"
    assert parse_registrations("Invalid Profile!\n", "nope") == []


def test_channel_domain_follows_fusionpbx():
    rows = parse_rows(body("call/16_api_show_channels_as_json_bridged.body.json"))
    assert channel_domain(rows[0]) == "127.0.0.1"  # context "default": the presence id
    assert channel_domain({"context": "example.com"}) == "example.com"
    assert channel_domain({"context": "sales@Example.com"}) == "example.com"
    assert channel_domain({"context": "public", "presence_id": "2125550100@b.example"}) == \
        "b.example"


# --- the simulator's frames against the real ones ---------------------------------------------

def read_frame(stream) -> tuple[list[tuple[str, str]], bytes]:
    headers = []
    while True:
        line = stream.readline().decode("latin-1")
        if line in ("\n", ""):
            break
        name, _, value = line.rstrip("\n").partition(": ")
        headers.append((name, value))
    length = int(dict(headers).get("Content-Length", 0))
    return headers, stream.read(length)


def capture(name: str):
    with open(CAPTURES / name, "rb") as fh:
        return read_frame(fh)


def shape(headers, data: bytes):
    """What must match between a real and a simulated frame: header names in order,
    content types, reply verdicts and the body's structure; values aside."""
    fields = dict(headers)
    text = data.decode("latin-1")
    if text.startswith("{"):
        parsed = json.loads(text)
        rows = parsed.get("rows", [])
        structure = (sorted(parsed), [list(r) for r in rows], text.endswith("\n"))
    elif text.startswith("<?xml"):
        structure = re.findall(r"<(/?[a-z-]+)>", text)
    elif fields.get("Content-Type") == "text/event-plain":
        structure = [line.partition(":")[0] for line in text.splitlines() if ":" in line][:16]
    else:
        structure = (text.split(" ")[0].split("\n")[0], text.endswith("\n"))
    return ([name for name, _ in headers], fields.get("Content-Type"),
            fields.get("Reply-Text", "").split(" ")[0], structure)


@pytest.fixture
def sim():
    simulator = Simulator(password="ClueCon", hostname="vm").start()
    yield simulator
    simulator.stop()


def conversation(sim, steps):
    """Send each command and compare the simulator's frames with the captured ones."""
    conn = socket.create_connection(("127.0.0.1", sim.port), timeout=5)
    stream = conn.makefile("rb")
    compared = 0
    try:
        assert shape(*read_frame(stream)) == shape(*capture("idle/01_connect.esl"))
        for command, expected, *setup in steps:
            if setup:
                setup[0]()
            conn.sendall(command.encode() + b"\n\n")
            for name in expected:
                real, simulated = capture(name), read_frame(stream)
                assert shape(*simulated) == shape(*real), (command, name)
                compared += 1
    finally:
        conn.close()
    return compared


def test_simulator_matches_the_idle_capture(sim):
    nobody = "00000000-0000-0000-0000-000000000000"
    steps = [
        ("auth ClueCon", ["idle/02_auth_reply.esl"]),
        ("api show channels as json", ["idle/05_api_show_channels_as_json.esl"]),
        ("api show calls as json", ["idle/06_api_show_calls_as_json.esl"]),
        ("api sofia xmlstatus profile internal reg",
         ["idle/10_api_sofia_xmlstatus_profile_internal_reg.esl"]),
        (f"api uuid_kill {nobody}", ["idle/14_api_uuid_kill_nonexistent.esl"]),
        (f"api uuid_transfer {nobody} 1002 XML default",
         ["idle/15_api_uuid_transfer_nonexistent.esl"]),
        ("api no_such_command", ["idle/16_api_unknown_command.esl"]),
        ("event plain BACKGROUND_JOB", ["idle/17_event_plain_BACKGROUND_JOB_reply.esl"]),
        ("bgapi status", ["idle/18_bgapi_status_reply.esl", "idle/19_BACKGROUND_JOB_event.esl"]),
        ("noevents", ["idle/20_noevents_reply.esl"]),
        ("bogus_command", ["idle/21_unknown_command_reply.esl"]),
        ("exit", ["idle/22_exit_reply.esl", "idle/23_disconnect_notice.esl"]),
    ]
    assert conversation(sim, steps) == 14


def test_simulator_matches_the_call_capture(sim):
    def one_call():
        sim.add_call(caller="1001", destination="9999", domain="127.0.0.1", context="default",
                     call_uuid=A_LEG)

    def bridge():
        sim.add_call(caller="1002", destination="1002", domain="127.0.0.1", context="default",
                     call_uuid=B_LEG, direction="outbound", bridged_with=A_LEG)
        sim.add_registration(user="1001", domain="127.0.0.1")
        sim.add_registration(user="1002", domain="127.0.0.1")

    steps = [
        ("auth ClueCon", ["call/02_auth_reply.esl"]),
        ("api show channels as json", ["call/03_api_show_channels_as_json_1call.esl"], one_call),
        (f"api uuid_exists {A_LEG}", ["call/12_api_uuid_exists.esl"]),
        (f"api uuid_transfer {A_LEG} 1002 XML default",
         ["call/15_api_uuid_transfer_to_1002.esl"]),
        ("api show channels as json", ["call/16_api_show_channels_as_json_bridged.esl"], bridge),
        ("api show calls as json", ["call/17_api_show_calls_as_json_bridged.esl"]),
        ("api sofia xmlstatus profile internal reg",
         ["call/07_api_sofia_xmlstatus_profile_internal_reg.esl"]),
        (f"api uuid_kill {A_LEG}", ["call/20_api_uuid_kill.esl"]),
        ("api show channels as json", ["call/21_api_show_channels_as_json_after_kill.esl"]),
        (f"api uuid_kill {A_LEG}", ["call/22_api_uuid_kill_again.esl"]),
        ("exit", ["call/23_exit_reply.esl", "call/24_disconnect_notice.esl"]),
    ]
    assert conversation(sim, steps) == 12


def test_simulator_matches_the_failed_auth_capture(sim):
    steps = [("auth WrongPassword", ["authfail/01_auth_wrong_reply.esl",
                                     "authfail/02_after_auth_wrong.esl"])]
    assert conversation(sim, steps) == 2


# --- the client's deadline ----------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["refuse", "silent", "drop", "slow", "mute"])
def test_every_failure_is_bounded_by_the_deadline(sim, mode):
    sim.misbehave(mode, delay=5)
    switch = esl.Switch(**sim.switch())
    started = time.monotonic()
    with pytest.raises(esl.EslFailed):
        with esl.Connection(switch, 0.5) as conn:
            conn.api("show channels as json")
    assert time.monotonic() - started < 1.0


def test_bad_password_and_closed_port_are_connection_failures(sim):
    with pytest.raises(esl.EslFailed, match="password"):
        with esl.Connection(esl.Switch("fs", "127.0.0.1", sim.port, "nope"), 1):
            pass
    with pytest.raises(esl.EslFailed):
        with esl.Connection(esl.Switch("fs", "127.0.0.1", 9, "ClueCon"), 1):
            pass


def test_err_replies_raise_a_command_error(sim):
    with esl.Connection(esl.Switch(**sim.switch()), 1) as conn:
        with pytest.raises(esl.EslCommandError, match="No such channel"):
            conn.api("uuid_kill 00000000-0000-0000-0000-000000000000")
        assert conn.api("uuid_exists 00000000-0000-0000-0000-000000000000") == "false"
        assert re.fullmatch(r"[0-9a-f-]{36}", conn.bgapi("status"))


@pytest.mark.parametrize("value", ["a b", "a\nb", "a'b", "a{b}", "", "a,b", "1002\n", "a\r",
                                   "\na", "exämple.com", None])
def test_token_refuses_anything_that_could_split_a_command(value):
    with pytest.raises(esl.ApiError):
        esl.token(value, "field")


@pytest.mark.parametrize("value", ["On Break\n", "a'b", "", "x" * 65, "a\tb"])
def test_quoted_refuses_what_could_leave_the_quotes(value):
    with pytest.raises(esl.ApiError):
        esl.quoted(value, "field")


def test_a_command_checks_its_arguments_when_it_is_made():
    command = esl.Command("callcenter_config", ("agent", "set", "status", "a-1",
                                                esl.Quoted("On Break")))
    assert command.line() == "callcenter_config agent set status a-1 'On Break'"
    assert esl.Command("reloadacl").line() == "reloadacl"
    for args in (("profile", "external\n"), ("profile", "ext ernal"), ("a", 5),
                 ("a", esl.Quoted("x'; y"))):
        with pytest.raises(esl.ApiError) as refused:
            esl.Command("sofia", args)
        assert refused.value.status == 400
    for word in ("sofia profile", "Sofia", "", "reload\n"):
        with pytest.raises(ValueError):
            esl.Command(word)
    with pytest.raises(TypeError):
        esl.Command("sofia", "profile external rescan")


def test_a_dial_string_sets_only_known_variables_to_plain_values():
    contact = esl.DialString("user/1001@example.com", (("call_timeout", "15"),
                                                      ("sip_invite_domain", "example.com")))
    command = esl.Command("callcenter_config", ("agent", "set", "contact", "a-1", contact))
    assert command.line() == ("callcenter_config agent set contact a-1 "
                              "{call_timeout=15,sip_invite_domain=example.com}"
                              "user/1001@example.com")
    assert esl.DialString("user/1001@example.com").text("contact") == "user/1001@example.com"
    for refused in (esl.DialString("user/1001@example.com", (("api_on_answer", "shutdown"),)),
                    esl.DialString("user/1001@example.com", (("call_timeout", "1,x=y"),)),
                    esl.DialString("user/1001@example.com", (("call_timeout", "1}a"),)),
                    esl.DialString("user/1001@example.com", (("leg_timeout", "1 2"),)),
                    esl.DialString("user/1001 @example.com")):
        with pytest.raises(esl.ApiError):
            esl.Command("callcenter_config", ("agent", "set", "contact", "a-1", refused))


def test_a_change_holds_checked_keys_and_commands_only():
    from fpbx_api.freeswitch.switches import SOFIA_CONF, Change

    assert Change(SOFIA_CONF, [esl.Command("reloadxml")]).cache_keys == SOFIA_CONF
    with pytest.raises(esl.ApiError):
        Change(["directory:1001@exämple.com"])
    with pytest.raises(esl.ApiError):
        Change(["dialplan:example.com\n"])
    with pytest.raises(TypeError):
        Change([], ["sofia profile external rescan"])


def test_no_line_break_reaches_the_socket(sim):
    with esl.Connection(esl.Switch(**sim.switch()), 1) as conn:
        for line in ("status\nreloadxml", "status\r"):
            with pytest.raises(esl.ApiError):
                conn.api(line)
            with pytest.raises(esl.ApiError):
                conn.bgapi(line)
    assert [c for c in sim.received() if c != "auth ********"] == []
