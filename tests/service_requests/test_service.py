"""RequestService itself, on both engines: every transition allowed and refused, reopening, notes,
concurrent changes and follows, transactions that compose, and Chicago's calendar."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from backend.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from backend.service_requests.models import Subscriber
from backend.service_requests.service import RequestService
from backend.service_requests.tables import RequestEvent, ServiceRequest, Subscription
from backend.service_requests.workflow import TRANSITIONS, Status
from tests.factories import pothole
from tests.processes import ceiling

# The shortest way from "submitted" to each status.
PATHS = {
    Status.SUBMITTED: [],
    Status.OPEN: ["open"],
    Status.IN_PROGRESS: ["in_progress"],
    Status.COMPLETED: ["completed"],
    Status.CLOSED_NOT_FIXED: ["closed_not_fixed"],
    Status.DUPLICATE: ["duplicate"],
    Status.CANCELLED: ["cancelled"],
    Status.REOPENED: ["completed", "reopened"],
}


async def _new(services, **changes) -> str:
    return (await services.requests.submit(pothole(**changes))).request.tracking_number


async def _at(services, status: Status) -> str:
    tn = await _new(services)
    for step in PATHS[status]:
        await services.requests.transition(tn, step, actor="staff:1", channel="staff")
    return tn


@pytest.mark.parametrize("source", list(Status))
async def test_every_transition_is_allowed_or_refused_as_the_workflow_says(services, source):
    for target in Status:
        tn = await _at(services, source)
        if target in TRANSITIONS[source]:
            view = await services.requests.transition(tn, target, actor="staff:1", channel="staff")
            assert view.status == target
        else:
            with pytest.raises(InvalidTransition) as refused:
                await services.requests.transition(tn, target, actor="staff:1", channel="staff")
            assert refused.value.errors[0].field == "status"
            assert (await services.requests.get(tn)).status == source
            events = await services.requests.history(tn, public_only=False)
            assert len(events) == 1 + len(PATHS[source])  # nothing written by the refusal


async def test_an_unknown_status_is_invalid_input(services):
    tn = await _new(services)
    with pytest.raises(InvalidInput):
        await services.requests.transition(tn, "fixed-ish", actor="staff:1", channel="staff")


async def test_closing_sets_closed_at_and_reopening_clears_it(services):
    tn = await _new(services)
    closed = await services.requests.transition(tn, "completed", actor="staff:1", channel="staff")
    assert closed.closed_at is not None
    reopened = await services.requests.transition(
        tn, "reopened", actor="resident", channel="sms", note="Still a hole"
    )
    assert reopened.closed_at is None and reopened.status == "reopened"
    assert reopened.latest_public_note == "Still a hole"


async def test_public_and_internal_notes(services):
    tn = await _new(services)
    await services.requests.comment(
        tn, "Crew scheduled", actor="staff:1", channel="staff", public=True
    )
    await services.requests.comment(
        tn, "Caller was rude", actor="staff:1", channel="staff", public=False
    )
    await services.requests.transition(
        tn, "open", actor="staff:1", channel="staff", note="Checked by supervisor", public=False
    )
    view = await services.requests.get(tn)
    assert view.latest_public_note == "Crew scheduled"
    public = [e.note for e in await services.requests.history(tn, public_only=True)]
    everything = [e.note for e in await services.requests.history(tn, public_only=False)]
    assert "Crew scheduled" in public and "Caller was rude" not in public
    assert "Checked by supervisor" not in public
    assert {"Caller was rude", "Checked by supervisor"} <= set(everything)


@pytest.mark.parametrize("note", ["", "   ", "x" * 4001, "bad\x00note"])
async def test_a_note_is_checked(services, note):
    tn = await _new(services)
    with pytest.raises(InvalidInput) as refused:
        await services.requests.comment(tn, note, actor="staff:1", channel="staff", public=True)
    assert refused.value.errors[0].field == "note"


async def test_concurrent_transitions_of_one_request_one_wins(services):
    tn = await _new(services)
    results = await asyncio.gather(
        *[
            services.requests.transition(tn, "open", actor=f"staff:{i}", channel="staff")
            for i in range(8)
        ],
        return_exceptions=True,
    )
    assert sum(not isinstance(r, BaseException) for r in results) == 1, results
    assert all(isinstance(r, InvalidTransition) for r in results if isinstance(r, BaseException))
    changes = [
        e
        for e in await services.requests.history(tn, public_only=False)
        if e.kind == "status_changed"
    ]
    assert len(changes) == 1


async def test_a_change_made_meanwhile_is_a_conflict_not_overwritten(services):
    tn = await _new(services)
    results = await asyncio.gather(
        services.requests.transition(
            tn, "in_progress", actor="staff:1", channel="staff", expected_status="submitted"
        ),
        services.requests.transition(
            tn, "cancelled", actor="staff:2", channel="staff", expected_status="submitted"
        ),
        return_exceptions=True,
    )
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert (await services.requests.get(tn)).status in ("in_progress", "cancelled")


async def test_concurrent_follows_of_one_request_are_idempotent(services):
    tn = await _new(services)
    phone = Subscriber.phone("+13125550123", "es")
    results = await asyncio.gather(
        *[services.requests.follow(tn, phone, channel="sms") for _ in range(8)]
    )
    assert sorted(results) == [False] * 7 + [True]
    assert await services.requests.subscribers(tn) == [phone]
    followed = [
        e for e in await services.requests.history(tn, public_only=False) if e.kind == "followed"
    ]
    assert len(followed) == 1 and followed[0].actor == "phone:…0123"


async def test_followers_of_every_kind(services):
    device = Subscriber.device(42)
    tn = await _new(services, subscriber=Subscriber.phone("+13125550123"))
    await services.requests.follow(tn, device, channel="app")
    await services.requests.follow(tn, Subscriber("push", "sub-7", "pl"), channel="app")
    kinds = [s.kind for s in await services.requests.subscribers(tn)]
    assert kinds == ["phone", "device", "push"]
    assert await services.requests.unfollow(tn, device, channel="app")
    assert not await services.requests.unfollow(tn, device, channel="app")
    assert not await services.requests.is_following(tn, device)


async def test_unknown_requests_are_not_found_in_domain_terms(services):
    for call in (
        services.requests.get("SR26-99999999"),
        services.requests.follow("nonsense", Subscriber.device(1), channel="app"),
    ):
        with pytest.raises(NotFound) as missing:
            await call
        assert missing.value.errors[0].field == "tracking_number"


async def test_submit_transition_and_follow_compose_in_one_transaction(services):
    class Abandon(Exception):
        pass

    with pytest.raises(Abandon):
        async with services.writer.transaction():
            tn = await _new(services)
            await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
            await services.requests.follow(tn, Subscriber.device(7), channel="app")
            await services.requests.comment(
                tn, "merged", actor="staff:1", channel="staff", public=True
            )
            assert (await services.requests.get(tn)).status == "open"  # read inside
            raise Abandon
    assert await ServiceRequest.count() == 0
    assert await RequestEvent.count() == 0 and await Subscription.count() == 0

    async with services.writer.transaction():
        tn = await _new(services)
        await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
        await services.requests.follow(tn, Subscriber.device(7), channel="app")
    assert (await services.requests.get(tn)).status == "open"
    assert await services.requests.is_following(tn, Subscriber.device(7))


async def test_a_failed_step_inside_rolls_back_only_itself(services):
    async with services.writer.transaction():
        tn = await _new(services)
        with pytest.raises(InvalidTransition):
            await services.requests.transition(tn, "reopened", actor="staff:1", channel="staff")
        with pytest.raises(InvalidInput):
            await services.requests.submit(pothole(service_code="NOPE"))
        # The outer transaction is still usable (PostgreSQL refuses statements after an error
        # unless the failed part was a savepoint).
        await services.requests.follow(tn, Subscriber.device(9), channel="app")
    assert (await services.requests.get(tn)).status == "submitted"
    assert await services.requests.is_following(tn, Subscriber.device(9))


async def test_nested_writer_transactions_do_not_deadlock(services):
    async def nested():
        async with services.writer.transaction():
            async with services.writer.transaction():
                async with services.writer.transaction():
                    return await _new(services)

    tn = await asyncio.wait_for(nested(), timeout=ceiling(60))
    assert (await services.requests.get(tn)).status == "submitted"


def _service_at(services, moment: datetime) -> RequestService:
    r = services.requests
    return RequestService(
        writer=r.writer,
        repo=r.repo,
        catalog=r.catalog,
        photos=r.photos,
        city=r.city,
        clock=lambda: moment,
    )


async def test_tracking_number_years_follow_chicago_at_new_years_eve(services):
    # 23:30 on 31 December 2026 in Chicago is already 2027 in UTC.
    eve = _service_at(services, datetime(2027, 1, 1, 5, 30, tzinfo=UTC))  # any date
    new_year = _service_at(services, datetime(2027, 1, 1, 6, 30, tzinfo=UTC))  # any date
    before = (await eve.submit(pothole())).request
    after = (await new_year.submit(pothole())).request
    assert before.tracking_number.startswith("SR26-")
    assert after.tracking_number == "SR27-00000001"
