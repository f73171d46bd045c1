"""The console's interpreter-callback queue: operators see the texts waiting for a call back with
an interpreter, oldest first, and mark one done with the interpreter's language and the request
filed on the call; bad input shows the list again with why; other roles are refused."""

from __future__ import annotations

import msgspec

from tests.channels.console.test_request_page import new_request, submit
from tests.channels.console.test_request_page import staff_browser as signed_in_browser

staff_browser = signed_in_browser  # the fixture, by its name here

PHONE = "+13125550187"


async def test_an_operator_calls_back_and_marks_it_done(services, staff_browser):
    waiting = await services.interpreters.queue(
        PHONE, "يوجد حفرة كبيرة في الشارع", language="ar", language_name="Arabic"
    )
    operator = await staff_browser("operator", "olga")
    listed = await operator.get("/staff/callbacks")
    assert listed.status_code == 200
    assert PHONE in listed.text and "Arabic" in listed.text and "يوجد حفرة" in listed.text
    # the intake screen, set for the call: in Arabic, with an interpreter
    intake = "/staff/intake?interpreter=on&amp;language=ar&amp;interpreter_language=ar"
    assert f'href="{intake}"' in listed.text
    opened = await operator.get(intake.replace("&amp;", "&"))
    assert opened.status_code == 200 and "A language code" not in opened.text
    action = f"/staff/callbacks/{waiting.id}/done"
    bad = await submit(operator, "/staff/callbacks", action, {"tracking_number": "SR26-99999999"})
    assert bad.status_code == 422 and "no request SR26-99999999" in bad.text
    assert 'value="SR26-99999999"' in bad.text  # what was typed is kept
    tn = await new_request(services)
    done = await submit(
        operator, "/staff/callbacks", action, {"tracking_number": tn, "note": "Filed a pothole."}
    )
    assert (
        done.status_code == 303
        and done.headers["location"] == f"/staff/callbacks?done={waiting.id}"
    )
    shown = await operator.get(done.headers["location"])
    assert f"Callback {waiting.id} marked done." in shown.text
    assert "No one is waiting" in shown.text
    finished = await services.interpreters.get(waiting.id)
    assert finished.status == "done" and finished.tracking_number == tn
    assert finished.interpreter_language == "ar"  # the detected one, when left out
    history = await operator.get("/staff/callbacks?status=done")
    assert f'href="/staff/requests/{tn}"' in history.text
    again = await submit(operator, "/staff/callbacks", action, {})
    assert again.status_code == 409 and "already done" in again.text


async def test_only_callers_reach_the_callback_queue(staff_browser):
    crew = await staff_browser("department", "cdot-crew", department_of="PHF")
    assert (await crew.get("/staff/callbacks")).status_code == 403
    assert 'href="/staff/callbacks"' not in (await crew.get("/staff/")).text
    supervisor = await staff_browser("supervisor", "sam")
    assert (await supervisor.get("/staff/callbacks")).status_code == 200


def test_the_intake_link_names_a_language_the_intake_screen_does_not_offer_as_other():
    from datetime import UTC, datetime

    from backend.channels.console.callbacks import intake_link
    from backend.interpreters.callbacks import CallbackView

    moment = datetime.now(UTC)  # the link does not depend on when the callback came
    view = CallbackView(
        id=1,
        phone=PHONE,
        channel="sms",
        language="ht",
        language_name="Haitian Creole",
        text="…",
        texts=1,
        status="open",
        created_at=moment,
        updated_at=moment,
    )
    assert intake_link(view) == (
        "/staff/intake?interpreter=on&language=other&other_language=ht&interpreter_language=ht"
    )
    unnamed = intake_link(msgspec.structs.replace(view, language=None))
    assert unnamed == "/staff/intake?interpreter=on"
