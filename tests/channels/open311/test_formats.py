"""The XML writer's second guard: a text holding what XML 1.0 cannot carry (a C0 control, a lone
surrogate, U+FFFE, U+FFFF) is written without it, so a page is always well-formed, even for a row
stored before the inputs refused them."""

from __future__ import annotations

import pytest
from lxml import etree

from backend.channels.open311.formats import encode
from backend.service_requests.tables import ServiceRequest
from tests.factories import pothole

NOT_XML = ["\x00", "\x01", "\x0b", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff"]


@pytest.mark.parametrize("bad", NOT_XML, ids=[f"U+{ord(c):04X}" for c in NOT_XML])
def test_what_xml_cannot_carry_is_dropped(bad):
    document = encode("xml", "errors", [{"code": 404, "description": f"a{bad}b & <c>"}])
    (error,) = etree.fromstring(document)
    assert error.findtext("description") == "ab & <c>"


def test_tab_line_breaks_and_every_other_character_are_kept():
    text = "tab\tLF\nCR\r \x7f \x85 \ufdd0 \ufffd 😀 żółć 路"
    document = encode("xml", "service_requests", [{"service_request_id": "SR26-1", "x": text}])
    assert etree.fromstring(document)[0].findtext("x") == text.replace("\r", "\n")


async def test_a_stored_text_xml_cannot_carry_leaves_the_feed_well_formed(client, services):
    tracking = (await services.requests.submit(pothole(description="deep"))).request.tracking_number
    await ServiceRequest.update({ServiceRequest.description: "deep\ufffe\uffff hole"}).where(
        ServiceRequest.tracking_number == tracking
    )
    for path in (f"/open311/v2/requests/{tracking}.xml", "/open311/v2/requests.xml"):
        response = await client.get(path)
        assert response.status_code == 200
        (request,) = etree.fromstring(response.content)
        assert request.findtext("description") == "deep hole"
