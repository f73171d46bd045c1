"""The purge job: expired idempotency keys, photo files no request refers to, crash leftovers."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backend.jobs.purge import purge
from backend.jobs.scheduler import build_scheduler
from backend.service_requests.models import SubmitCommand
from backend.service_requests.tables import IdempotencyRecord, Photo
from backend.storage.images import process_image
from tests.factories import WICKER_PARK, photo_bytes


def _cmd(key: str, photos=()) -> SubmitCommand:
    return SubmitCommand(
        service_code="PHF",
        channel="app",
        lat=WICKER_PARK[0],
        long=WICKER_PARK[1],
        answers={"LOCATION": "curb_lane"},
        idempotency_key=key,
        photos=list(photos),
    )


async def test_purge_forgets_old_keys_and_orphan_files(services, monkeypatch):
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    monkeypatch.setattr(services.requests, "clock", lambda: two_days_ago)
    old = await services.requests.submit(_cmd("old-key", [photo_bytes()]))
    monkeypatch.undo()
    await services.requests.submit(_cmd("fresh-key"))

    store = services.photos
    old_orphan, young_orphan = store.new_uid(), store.new_uid()
    for uid in (old_orphan, young_orphan):
        store.write(uid, process_image(photo_bytes()))
    now, hours_ago = time.time(), time.time() - 2 * 3600  # ages set, not the file system's clock
    kept_uid = old.request.photo_uids[0]
    for uid in (old_orphan, kept_uid):
        os.utime(store.path(uid), (hours_ago, hours_ago))
    os.utime(store.path(young_orphan), (now, now))

    result = await purge(services)

    assert result == {
        "idempotency_keys": 1,
        "sms_draft_photos": 0,
        "orphan_photos": 1,
        "orphan_thumbnails": 0,
        "temp_files": 0,
        "login_failures": 0,
    }
    assert [r["key"] for r in await IdempotencyRecord.select(IdempotencyRecord.key)] == [
        "fresh-key"
    ]
    assert not store.exists(old_orphan)
    assert store.exists(young_orphan)  # may belong to a submit still in flight
    assert store.exists(kept_uid) and await Photo.count() == 1


async def test_purge_removes_what_a_crash_mid_submit_left_behind(services):
    """A server killed between writing a thumbnail and its photo (PhotoStore.write writes the
    thumbnail first), or in the middle of an atomic write, leaves files no row points at."""
    store = services.photos
    image = process_image(photo_bytes())
    crashed, in_flight, complete = store.new_uid(), store.new_uid(), store.new_uid()
    for uid in (crashed, in_flight):
        thumb = store.path(uid, thumbnail=True)
        thumb.parent.mkdir(parents=True, exist_ok=True)
        thumb.write_bytes(image.thumbnail)
    old_temp = store.path(crashed).parent / f".{crashed}.k3j_9x2a.tmp"
    young_temp = store.path(in_flight).parent / f".{in_flight}_thumb.q8w2e1r0.tmp"
    old_temp.write_bytes(b"half a jpeg")
    young_temp.write_bytes(b"being written")
    store.write(complete, image)  # an orphan photo with its thumbnail: the existing rule
    unrelated = store.root / crashed[:2] / "README.txt"
    unrelated.write_text("not ours")
    now, hours_ago = time.time(), time.time() - 2 * 3600  # ages set, not the file system's clock
    for path in (store.path(in_flight, thumbnail=True), young_temp):
        os.utime(path, (now, now))
    for path in (
        store.path(crashed, thumbnail=True),
        old_temp,
        unrelated,
        store.path(complete),
        store.path(complete, thumbnail=True),
    ):
        os.utime(path, (hours_ago, hours_ago))

    result = await purge(services)

    assert result["orphan_thumbnails"] == 1 and result["temp_files"] == 1
    assert result["orphan_photos"] == 1
    assert not store.path(crashed, thumbnail=True).exists() and not old_temp.exists()
    assert not store.path(complete).exists() and not store.path(complete, thumbnail=True).exists()
    # A submit still in flight (young files) and files that are not ours stay.
    assert store.path(in_flight, thumbnail=True).exists() and young_temp.exists()
    assert unrelated.exists()


async def test_scheduler_runs_purge_hourly(services):
    scheduler = build_scheduler(services)
    job = scheduler.get_job("purge")
    assert job is not None and job.trigger.interval == timedelta(hours=1)


async def test_purge_goes_on_past_a_leftover_it_cannot_delete(services, monkeypatch, caplog):
    store = services.photos
    blocked, deletable = store.new_uid(), store.new_uid()
    hours_ago = time.time() - 2 * 3600
    for uid in (blocked, deletable):
        thumb = store.path(uid, thumbnail=True)
        thumb.parent.mkdir(parents=True, exist_ok=True)
        thumb.write_bytes(b"thumbnail of a photo never written")
        os.utime(thumb, (hours_ago, hours_ago))
    unlink = Path.unlink

    def read_only(path: Path, missing_ok: bool = False) -> None:
        if path.name.startswith(blocked):
            raise PermissionError(13, "Permission denied", str(path))
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", read_only)
    result = await purge(services)

    assert result["orphan_thumbnails"] == 1  # what was deleted, not what was found
    assert store.path(blocked, thumbnail=True).exists()
    assert not store.path(deletable, thumbnail=True).exists()
    assert "cannot delete" in caplog.text


async def test_purge_drops_the_photos_of_abandoned_sms_drafts(services):
    from sms.store import SmsStore

    store = SmsStore(services.reader, services.writer)
    now = datetime.now(UTC)
    await store.add_photo("+13125550100", photo_bytes(), now - timedelta(hours=3))
    await store.add_photo("+13125550111", photo_bytes(), now - timedelta(minutes=10))
    result = await purge(services, now=now)
    assert result["sms_draft_photos"] == 1
    assert await store.photos("+13125550100") == []
    assert len(await store.photos("+13125550111")) == 1
