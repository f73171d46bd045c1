"""Every XML body the Open311 tests receive is read by a real XML parser (lxml, strict): a page that
is not well-formed fails the test that got it, whatever that test checks."""

from __future__ import annotations

import httpx
import pytest
from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)


async def parse_xml_body(response: httpx.Response) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if media_type in ("text/xml", "application/xml") or media_type.endswith("+xml"):
        body = await response.aread()
        try:
            etree.fromstring(body, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise AssertionError(
                f"{response.request.method} {response.request.url}: not well-formed XML "
                f"({exc}): {body[:300]!r}"
            ) from None


@pytest.fixture(autouse=True)
def well_formed_xml(request):
    """The shared test client checks every XML response while an Open311 test runs."""
    if "session_client" not in request.fixturenames:
        yield
        return
    client = request.getfixturevalue("session_client")
    hooks = client.event_hooks
    hooks["response"] = [*hooks["response"], parse_xml_body]
    try:
        yield
    finally:
        hooks["response"] = [h for h in hooks["response"] if h is not parse_xml_body]
