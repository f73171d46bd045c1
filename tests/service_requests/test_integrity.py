"""Integrity on the live schema, on both engines: a request with anything that tells of it cannot be
deleted (the foreign keys restrict, migration 0025), and a staff note is kept only with its audit
row (one transaction: an audit insert refused by the database leaves no note either)."""

from __future__ import annotations

import pytest
from piccolo.engine import engine_finder

from backend.service_requests.audit import Actor
from tests.factories import pothole

REFUSE_NOTE_AUDIT = {
    "sqlite": [
        "CREATE TRIGGER refuse_note_audit BEFORE INSERT ON audit_event "
        "WHEN NEW.kind = 'note_added' BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
    ],
    "postgres": [
        "CREATE FUNCTION refuse_note_audit() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit refused'; END $$",
        "CREATE TRIGGER refuse_note_audit BEFORE INSERT ON audit_event FOR EACH ROW "
        "WHEN (NEW.kind = 'note_added') EXECUTE FUNCTION refuse_note_audit()",
    ],
}
ALLOW_NOTE_AUDIT = {
    "sqlite": ["DROP TRIGGER refuse_note_audit"],
    "postgres": [
        "DROP TRIGGER refuse_note_audit ON audit_event",
        "DROP FUNCTION refuse_note_audit()",
    ],
}


async def _run(statements: list[str]) -> None:
    for sql in statements:
        await engine_finder().run_ddl(sql)


async def test_a_note_whose_audit_row_fails_is_not_kept(services):
    view = (await services.requests.submit(pothole())).request
    engine = engine_finder().engine_type
    await _run(REFUSE_NOTE_AUDIT[engine])
    try:
        with pytest.raises(Exception, match="audit refused"):
            await services.requests.staff_note(
                view.tracking_number, "Crew checked: still there", public=True, actor=Actor.staff(1)
            )
    finally:
        await _run(ALLOW_NOTE_AUDIT[engine])
    staff_view = await services.requests.staff_view(view.tracking_number)
    assert [e.kind for e in staff_view.history if e.kind == "note"] == []
    assert staff_view.request.latest_public_note is None
    # and with the audit allowed again, the note and its audit row are kept together
    await services.requests.staff_note(
        view.tracking_number, "Crew checked: still there", public=True, actor=Actor.staff(1)
    )
    staff_view = await services.requests.staff_view(view.tracking_number)
    assert [e.note for e in staff_view.history if e.kind == "note"] == ["Crew checked: still there"]
    rows = await engine_finder().run_ddl(
        f"SELECT kind FROM audit_event WHERE request = {view.id} AND kind = 'note_added'"
    )
    assert len(rows) == 1


async def test_a_request_with_history_cannot_be_deleted(services):
    view = (await services.requests.submit(pothole())).request
    with pytest.raises(Exception, match="(?i)foreign key"):
        await engine_finder().run_ddl(f"DELETE FROM service_request WHERE id = {view.id}")
    assert (await services.requests.get(view.tracking_number)).id == view.id
