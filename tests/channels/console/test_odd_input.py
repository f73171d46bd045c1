"""Odd input never makes a console page fail: every page answers a page (or a redirect), never a
500, whatever the query, the path or the form holds."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .conftest import csrf_of

ODD = ["", "\x00", "x" * 5000, "nan,nan|x", "1e999,-1e999|y", "41.9,-87.6|\x01", "%00", "𝔘", "<b>"]


@pytest.mark.parametrize("role", ["operator", "supervisor"])
async def test_odd_queries_and_paths_are_answered(sign_in, role):
    browser = await sign_in(role)
    failures = []
    for odd in ODD:
        for path, params in (
            ("/staff/intake", {"q": odd, "language": odd, "type": odd}),
            ("/staff/intake", {"type": "PHF", "language": "other", "other_language": odd}),
            ("/staff/intake/places", {"type": "PHF", "q": odd}),
            ("/staff/lookup", {"q": odd, "lang": odd}),
            ("/staff/where", {"address": odd, "place": odd, "lang": odd}),
            ("/staff/where", {"place": odd}),
            (f"/staff/intake/filed/{quote(odd[:100] or 'x', safe='')}", {}),
            (f"/staff/police/{quote(odd[:100] or 'x', safe='')}", {"filed": odd}),
        ):
            answer = await browser.get(path, params=params)
            if answer.status_code >= 500:
                failures.append(f"GET {path} {params!r}: {answer.status_code}")
    assert not failures, "\n".join(failures)


async def test_odd_forms_are_answered(sign_in):
    browser = await sign_in("supervisor")
    token = csrf_of((await browser.get("/staff/")).text)
    failures = []
    for odd in ODD:
        for path, form in (
            ("/staff/intake", {"type": "PHF", "action": "submit", "address": odd, "place": odd,
                               "answer.LOCATION": odd, "answer.NUMBER_OF_POTHOLES": odd,
                               "language": odd, "interpreter_language": odd, "phone": odd,
                               "notify": "on", "name": odd, "description": odd}),
            ("/staff/intake", {"type": "PHF", "action": "find", "address": odd}),
            ("/staff/police/new", {"offender_present": odd, "estimated_value": odd,
                                   "address": odd, "description": odd, "kind": odd}),
            ("/staff/police/SR26-00000001/decline", {"reason": odd}),
            ("/staff/login", {"username": odd, "password": odd, "next": odd}),
        ):  # fmt: skip
            answer = await browser.post(path, data={**form, "_csrf_token": token})
            if answer.status_code >= 500:
                failures.append(f"POST {path} {odd!r}: {answer.status_code}")
    assert not failures, "\n".join(failures)
