"""Whatever a client sends, a generated dialplan parses as XML and has exactly the elements
and attributes of the XML FusionPBX's own form wrote (tests/golden/ring_groups.json): no
value escapes its attribute."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from fpbx_api.fusionpbx.dialplans import number_expression
from tests.helpers import golden, golden_step

GOLDEN_XML = golden_step(golden("ring_groups"), "create", "rows_added")[
    "v_dialplans"][0]["dialplan_xml"]
HOSTILE_NAMES = [
    '"/><action application="system" data="id"/><x a="',
    "'/><action application='system' data='id'/>",
    "</condition></extension><extension name=\"x\">",
    "a & b &amp; &#60; &lt;", "<![CDATA[x]]>", "<!-- x -->", "<?xml version='1.0'?>",
    "${domain_name}", "$${a}{b}", "$ {a", "x\ufffey\uffff", "Sälës ☎ 𝄞", " padded ",
    "x\u2028y\u0085z",
]
NUMBERS = ["2000", "*2000#", "+1.2-3_x", "Sales"]


def shape(element: ET.Element) -> tuple:
    """The element's tag, attribute names and children's shapes: its structure."""
    return (element.tag, tuple(sorted(element.attrib)), tuple(shape(c) for c in element))


def fixed_values(element: ET.Element) -> list:
    """The attribute values FusionPBX writes the same for every ring group."""
    varying = {("extension", "name"), ("extension", "uuid"), ("condition", "expression")}
    values = [(element.tag, k, v) for k, v in sorted(element.attrib.items())
              if (element.tag, k) not in varying and not v.startswith("ring_group_uuid=")]
    return values + [v for child in element for v in fixed_values(child)]


@pytest.mark.parametrize("n", range(len(HOSTILE_NAMES)))
def test_hostile_names_numbers_and_descriptions_keep_the_golden_structure(
        client, tenants, fpbx_db, n):
    name = HOSTILE_NAMES[n]
    number = NUMBERS[n % len(NUMBERS)]
    r = client.post("/api/v1/ring-groups", json={
        "ring_group_name": name, "ring_group_extension": number,
        "ring_group_description": HOSTILE_NAMES[-1 - n]}, headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    (row,) = fpbx_db.rows("v_dialplans")
    parsed, expected = ET.fromstring(row["dialplan_xml"]), ET.fromstring(GOLDEN_XML)
    assert shape(parsed) == shape(expected)
    assert fixed_values(parsed) == fixed_values(expected)
    condition = parsed.find("condition")
    assert condition.get("expression") == number_expression(number)
    assert parsed.get("uuid") == str(row["dialplan_uuid"])
    uuid = r.json["data"]["ring_group_uuid"]
    assert f"ring_group_uuid={uuid}" in [action.get("data") for action in condition]
    if "$" in name or "\uffff" in name:  # expansions and non-XML characters are dropped
        assert not re.search(r"\$\{[^}]+\}|\uffff", parsed.get("name"))
    else:
        assert parsed.get("name") == name.strip()
