"""``fpbx-api demo``: a SQLite FusionPBX with domain example.com, a few
extensions, a fresh per-domain key and a simulated FreeSWITCH with live calls,
served on one command.

FusionPBX's tables are created here only because the demo has no FusionPBX;
against a real database the API never creates or alters them.
"""

from __future__ import annotations

import os

from sqlalchemy.orm import Session

from fpbx_api import migrations
from fpbx_api.config import load_config
from fpbx_api.db import make_engine
from fpbx_api.freeswitch.simulator import Simulator
from fpbx_api.fusionpbx.models import (
    ApiKey,
    Base,
    Contact,
    Domain,
    Extension,
    ExtensionUser,
    Group,
    SipProfile,
    User,
    Voicemail,
)
from fpbx_api.fusionpbx.passwords import generate_password
from fpbx_api.fusionpbx.rows import BUILTIN_GROUPS, new_uuid, now
from fpbx_api.http import keys

DEMO_DOMAIN = "example.com"
DEMO_EXTENSIONS = [("1001", "Alice Anders"), ("1002", "Bob Baker"), ("1003", "Reception")]


def build_demo_database(path: str) -> str:
    """Create the demo database afresh and return a read-write key for example.com."""
    if os.path.exists(path):
        os.remove(path)
    url = demo_url(path)
    engine = make_engine(url, {})
    tables = [t for t in Base.metadata.sorted_tables if t.name != ApiKey.__tablename__]
    Base.metadata.create_all(engine, tables=tables)
    migrations.upgrade(url)
    with Session(engine) as db:
        domain = Domain(domain_uuid=new_uuid(), domain_name=DEMO_DOMAIN, domain_enabled=True,
                        domain_description="Demo domain", insert_date=now())
        contact = Contact(contact_uuid=new_uuid(), domain_uuid=domain.domain_uuid,
                          contact_name_given="Alice", contact_name_family="Anders")
        user = User(user_uuid=new_uuid(), domain_uuid=domain.domain_uuid, username="alice",
                    contact_uuid=contact.contact_uuid, user_enabled=True, insert_date=now())
        db.add_all([domain, contact, user])
        db.add_all(Group(group_uuid=new_uuid(), group_name=name, group_level=level,
                         group_protected=False) for name, level in BUILTIN_GROUPS.items())
        db.add(SipProfile(sip_profile_uuid=new_uuid(), sip_profile_name="internal",
                          sip_profile_enabled=True, insert_date=now()))
        for number, name in DEMO_EXTENSIONS:
            ext = Extension(extension_uuid=new_uuid(), domain_uuid=domain.domain_uuid,
                            extension=number, password=generate_password(20, 4),
                            effective_caller_id_name=name, effective_caller_id_number=number,
                            user_context=DEMO_DOMAIN, accountcode=DEMO_DOMAIN, limit_max="5",
                            limit_destination="!USER_BUSY", call_timeout=30, enabled=True,
                            directory_visible=False, directory_exten_visible=False,
                            extension_dialect="us", extension_voice="callie",
                            extension_type="default", insert_date=now())
            db.add(ext)
            db.add(Voicemail(voicemail_uuid=new_uuid(), domain_uuid=domain.domain_uuid,
                             voicemail_id=number, voicemail_password=generate_password(8, 1),
                             voicemail_enabled=True, voicemail_file="attach",
                             voicemail_local_after_email=True, insert_date=now()))
        db.add(ExtensionUser(extension_user_uuid=new_uuid(), domain_uuid=domain.domain_uuid,
                             extension_uuid=ext.extension_uuid, user_uuid=user.user_uuid))
        _, secret = keys.create_key(db, domain.domain_uuid, scopes=["write"], name="demo")
        db.commit()
    engine.dispose()
    return secret


def demo_url(path: str) -> str:
    return f"sqlite:///{os.path.abspath(path)}"


def demo_switch(path: str | None = None) -> Simulator:
    """A simulated FreeSWITCH with two live calls and two phones registered; given the
    demo database, it authenticates phones from it as FusionPBX's Lua would, through
    its own file cache (which the API clears on every change)."""
    switch = Simulator(hostname="demo-fs", db_url=path and demo_url(path)).start()
    switch.add_call(caller="1001", caller_name="Alice Anders", destination="5551234567",
                    domain=DEMO_DOMAIN, age=95)
    switch.add_call(caller="1002", caller_name="Bob Baker", destination="1003",
                    domain=DEMO_DOMAIN, age=12)
    for number in ("1001", "1002"):
        switch.add_registration(user=number, domain=DEMO_DOMAIN, ip="192.0.2.10",
                                port=5060 + int(number[-1]))
    return switch


def demo_config(path: str, switch: Simulator) -> dict:
    return load_config(overrides={
        "database": {"url": demo_url(path)},
        "security": {"auth_mode": "both"},
        "freeswitch": {"switches": [switch.switch("demo-fs")]},
    })


def seed_through_api(path: str, switch: Simulator, secret: str) -> None:
    """Features whose rows FusionPBX derives (dialplans, their XML, the switch's state) are
    created through the API itself, as a portal would: an IVR menu (5000: press 1 for
    Alice, 2 for Bob), a conference bridge (3000, PIN 1234) and a call-center queue (7000)
    answered by Alice. (A plugin left out by configuration is skipped.)"""
    from fpbx_api.app import create_app

    client = create_app(demo_config(path, switch)).test_client()
    headers = {"X-API-Key": secret, "X-Domain": DEMO_DOMAIN}
    with Session(make_engine(demo_url(path), {})) as db:
        alice = db.query(User.user_uuid).filter(User.username == "alice").scalar()
    client.post("/api/v1/ivr-menus", headers=headers, json={
        "ivr_menu_name": "Main Menu", "ivr_menu_extension": "5000",
        "ivr_menu_description": "Press 1 for Alice, 2 for Bob",
        "options": [{"ivr_menu_option_digits": digit, "ivr_menu_option_action": "menu-exec-app",
                     "ivr_menu_option_param": f"transfer {number} XML {DEMO_DOMAIN}",
                     "ivr_menu_option_description": name}
                    for digit, number, name in (("1", "1001", "Alice"), ("2", "1002", "Bob"))]})
    client.post("/api/v1/conferences", headers=headers, json={
        "conference_name": "Team Bridge", "conference_extension": "3000",
        "conference_pin_number": "1234", "mute": "true",
        "conference_description": "Daily team call"})
    agent = client.post("/api/v1/call-centers/agents", headers=headers, json={
        "agent_name": "Alice Anders", "agent_contact": f"user/1001@{DEMO_DOMAIN}",
        "agent_status": "Available", "user_uuid": alice})
    if agent.status_code == 201:
        client.post("/api/v1/call-centers/queues", headers=headers, json={
            "queue_name": "Support", "queue_extension": "7000",
            "queue_greeting": "say:Thank you for holding.",
            "queue_timeout_action": f"transfer:*991001 XML {DEMO_DOMAIN}",
            "tiers": [{"call_center_agent_uuid": agent.json["data"]["call_center_agent_uuid"]}]})


def run_demo(path: str, bind: str) -> int:
    from fpbx_api.server import run

    secret = build_demo_database(path)
    switch = demo_switch(path)
    seed_through_api(path, switch, secret)
    print(f"""
fpbx-api demo: SQLite database {path}, domain {DEMO_DOMAIN}, a simulated FreeSWITCH on
127.0.0.1:{switch.port} with two calls and two registrations
  API key:  {secret}
  Try:      curl -H 'X-API-Key: {secret}' -H 'X-Domain: {DEMO_DOMAIN}' http://{bind}/api/v1/extensions
            curl -H 'X-API-Key: {secret}' http://{bind}/api/v1/active-calls
  Docs:     http://{bind}/api/v1/docs
""", flush=True)
    run(demo_config(path, switch), bind=bind, workers=1, threads=4)
    return 0
