"""Tests for PhotoStore's on-disk layout, atomic writes and listing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from backend.storage.images import ProcessedImage
from backend.storage.photo_store import PhotoStore

IMAGE = ProcessedImage(jpeg=b"main-jpeg", thumbnail=b"thumb-jpeg", width=4, height=3, gps=None)


def test_new_uid_is_32_lowercase_hex() -> None:
    uids = {PhotoStore.new_uid() for _ in range(50)}
    assert len(uids) == 50
    assert all(re.fullmatch(r"[0-9a-f]{32}", uid) for uid in uids)


def test_path_layout(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path)
    uid = "ab" + "0" * 30
    assert store.path(uid) == tmp_path / "photos" / "ab" / f"{uid}.jpg"
    assert store.path(uid, thumbnail=True) == tmp_path / "photos" / "ab" / f"{uid}_thumb.jpg"
    assert not (tmp_path / "photos").exists()  # created lazily, on first write


@pytest.mark.parametrize(
    "uid", ["../x", "", "AB" + "0" * 30, "0" * 31, "0" * 33, "../" + "0" * 29, "0" * 31 + "/", None]
)
def test_bad_uid_is_refused(tmp_path: Path, uid: object) -> None:
    store = PhotoStore(tmp_path)
    with pytest.raises(ValueError):
        store.path(uid)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.write(uid, IMAGE)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.delete(uid)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.exists(uid)  # type: ignore[arg-type]


def test_write_exists_delete(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path)
    uid = store.new_uid()
    assert not store.exists(uid)

    store.write(uid, IMAGE)

    assert store.exists(uid)
    assert store.path(uid).read_bytes() == b"main-jpeg"
    assert store.path(uid, thumbnail=True).read_bytes() == b"thumb-jpeg"
    names = sorted(p.name for p in store.path(uid).parent.iterdir())
    assert names == [f"{uid}.jpg", f"{uid}_thumb.jpg"]

    store.write(uid, ProcessedImage(jpeg=b"v2", thumbnail=b"t2", width=1, height=1, gps=None))
    assert store.path(uid).read_bytes() == b"v2"

    store.delete(uid)
    assert not store.exists(uid)
    assert not store.path(uid, thumbnail=True).exists()
    store.delete(uid)  # already gone: fine
    store.delete(store.new_uid())  # never existed: fine


def test_stored_uids_lists_main_files_only(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path)
    assert list(store.stored_uids()) == []  # no photos dir yet

    uids = {store.new_uid() for _ in range(5)}
    for uid in uids:
        store.write(uid, IMAGE)
    first = sorted(uids)[0]
    os.utime(store.path(first), (1_000_000, 1_000_000))

    shard = store.path(first).parent
    (shard / f".{first}.abc123.tmp").write_bytes(b"half-written")
    (shard / "notes.txt").write_text("foreign")
    other_shard = "00" if shard.name != "00" else "11"
    (shard / (other_shard + "0" * 30 + ".jpg")).write_bytes(b"in the wrong shard")
    (store.root / "README").write_text("foreign file at top level")
    (store.root / "zz").mkdir(exist_ok=True)

    listed = dict(store.stored_uids())

    assert set(listed) == uids
    assert listed[first] == 1_000_000
    assert all(isinstance(mtime, float) for mtime in listed.values())

    store.delete(first)
    assert set(dict(store.stored_uids())) == uids - {first}


def test_failed_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = PhotoStore(tmp_path)
    uid = store.new_uid()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.write(uid, IMAGE)
    assert list(store.path(uid).parent.iterdir()) == []
    assert not store.exists(uid)


def _touch(path: Path, mtime: float, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


def test_crash_leftovers_are_old_orphan_thumbnails_and_temp_files(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path / "media")
    now = 2_000_000_000.0
    old, young, cutoff = now - 7200, now - 60, now - 3600
    crashed, complete, in_flight = (("ab" if i else "cd") + f"{i:030x}" for i in range(3))
    shard = store.path(crashed).parent
    expected = {
        _touch(store.path(crashed, thumbnail=True), old),  # photo never written
        _touch(shard / f".{crashed}.k3j_9x2a.tmp", old),
        _touch(store.path(complete).parent / f".{complete}_thumb.q8w2e1r0.tmp", old),
    }
    _touch(store.path(complete), old)
    _touch(store.path(complete, thumbnail=True), old)  # has its photo: not a leftover
    _touch(store.path(in_flight, thumbnail=True), young)  # a submit still writing
    _touch(store.path(in_flight).parent / f".{in_flight}.abcdefgh.tmp", young)
    _touch(shard / "notes_thumb.jpg", old)  # not our names
    _touch(shard / f".{crashed}.tmp", old)
    _touch(store.root / "zz" / f"{crashed}_thumb.jpg", old)  # not in its uid's shard
    (shard / f".{crashed}.dir12345.tmp").mkdir()  # a directory, whatever its name

    assert set(store.crash_leftovers(older_than=cutoff)) == expected
    assert store.crash_leftovers(older_than=old) == []  # "older than" is strict
    assert PhotoStore(tmp_path / "nothing").crash_leftovers(older_than=now) == []


def test_listing_never_follows_a_symlink_out_of_the_store(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path / "media")
    outside = tmp_path / "elsewhere"
    uid, linked = "ab" + "1" * 30, "cd" + "2" * 30
    old = 1_000_000.0
    target = _touch(outside / f"{uid}_thumb.jpg", old, b"someone else's file")
    _touch(outside / f"{linked}.jpg", old)
    _touch(outside / f".{linked}.k3j_9x2a.tmp", old)
    store.root.mkdir(parents=True)
    (store.root / "cd").symlink_to(outside, target_is_directory=True)  # a shard that isn't ours
    (store.root / "ab").mkdir()
    for name in (f"{uid}_thumb.jpg", f".{uid}.k3j_9x2a.tmp", f"{uid}.jpg"):
        link = store.root / "ab" / name
        link.symlink_to(target)
        os.utime(link, (old, old), follow_symlinks=False)

    assert store.crash_leftovers(older_than=old + 3600) == []
    assert list(store.stored_uids()) == []
    assert target.read_bytes() == b"someone else's file"
