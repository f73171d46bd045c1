"""Staff accounts: creation rules, Argon2 login off the event loop, lockout and its end, disabling,
rehashing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from backend.errors import Conflict, InvalidInput, NotFound, Unauthorized
from backend.identity.staff import LockedOut, StaffDirectory, StaffRole
from backend.identity.tables import StaffLoginFailure

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # any date

    def __call__(self) -> datetime:
        return self.now


class RecordingHasher(PasswordHasher):
    """argon2-cffi's hasher (cheap parameters), noting the thread each hash and verify runs on."""

    def __init__(self, time_cost: int = 1) -> None:
        super().__init__(time_cost=time_cost, memory_cost=1024, parallelism=1)
        self.threads: list[tuple[str, threading.Thread]] = []

    def hash(self, password, *, salt=None):
        self.threads.append(("hash", threading.current_thread()))
        return super().hash(password, salt=salt)

    def verify(self, hash, password):
        self.threads.append(("verify", threading.current_thread()))
        return super().verify(hash, password)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def hasher():
    return RecordingHasher()


@pytest.fixture
def directory(services, clock, hasher):
    made = StaffDirectory(services.reader, services.writer, hasher=hasher, clock=clock)
    yield made
    made.close()


async def _department(services) -> tuple[int, str]:
    row = await services.reader.fetchrow("SELECT id, slug FROM department ORDER BY slug LIMIT 1")
    return row["id"], row["slug"]


async def test_a_department_user_is_created_with_its_departments(directory, services):
    department_id, slug = await _department(services)
    user = await directory.create_user("  Jane.Doe ", PASSWORD, "department", [slug])
    assert (user.username, user.role, user.departments) == ("jane.doe", "department", (slug,))
    assert user.disabled_at is None and user.last_login_at is None
    await directory.create_user("ops1", PASSWORD, "operator")
    listed = await directory.list_users()
    assert [(u.username, u.departments) for u in listed] == [("jane.doe", (slug,)), ("ops1", ())]
    stored = await services.reader.fetchrow(
        "SELECT password_hash FROM staff_user WHERE id = $1", user.id
    )
    assert (
        stored["password_hash"].startswith("$argon2id$") and PASSWORD not in stored["password_hash"]
    )


async def test_creation_names_every_field_that_breaks_a_rule(directory):
    with pytest.raises(InvalidInput) as caught:
        await directory.create_user("x", "too short", "janitor")
    assert [e.field for e in caught.value.errors] == ["username", "password", "role"]
    with pytest.raises(InvalidInput) as caught:
        await directory.create_user("dept1", PASSWORD, "department")
    assert [e.field for e in caught.value.errors] == ["departments"]
    with pytest.raises(InvalidInput) as caught:
        await directory.create_user("ops2", PASSWORD, "operator", ["streets-and-sanitation"])
    assert [e.field for e in caught.value.errors] == ["departments"]


async def test_an_unknown_department_slug_is_named(directory, services):
    _, slug = await _department(services)
    with pytest.raises(InvalidInput) as caught:
        await directory.create_user("dept2", PASSWORD, "department", [slug, "no-such-dept"])
    (error,) = caught.value.errors
    assert error.field == "departments[1]" and "no-such-dept" in error.message
    assert await directory.list_users() == []


async def test_a_username_is_taken_once_whatever_its_case(directory):
    await directory.create_user("sup", PASSWORD, "supervisor")
    with pytest.raises(Conflict) as caught:
        await directory.create_user("SUP", PASSWORD, "supervisor")
    assert caught.value.errors[0].field == "username"


async def test_login_proves_the_user_and_hashing_runs_off_the_event_loop(
    directory, services, hasher
):
    department_id, slug = await _department(services)
    user = await directory.create_user("dept3", PASSWORD, "department", [slug])
    principal = await directory.authenticate("DEPT3", PASSWORD)
    assert (principal.id, principal.username, principal.role) == (
        user.id,
        "dept3",
        StaffRole.DEPARTMENT,
    )
    assert principal.department_ids == (department_id,)
    assert (await directory.user("dept3")).last_login_at is not None
    assert [kind for kind, _ in hasher.threads] == ["hash", "verify"]
    assert all(thread is not threading.main_thread() for _, thread in hasher.threads)
    assert all(thread.name.startswith("argon2") for _, thread in hasher.threads)


async def test_a_wrong_password_and_an_unknown_user_get_the_same_answer_and_cost(directory, hasher):
    await directory.create_user("ops3", PASSWORD, "operator")
    hasher.threads.clear()
    with pytest.raises(Unauthorized) as wrong:
        await directory.authenticate("ops3", "not the password")
    verifies = sum(kind == "verify" for kind, _ in hasher.threads)
    with pytest.raises(Unauthorized) as unknown:
        await directory.authenticate("nobody", "not the password")
    with pytest.raises(Unauthorized):
        await directory.authenticate("nobody2", "not the password")
    assert wrong.value.detail == unknown.value.detail == "wrong username or password"
    # one verify each time (the dummy hash is made once, on the first unknown name)
    assert sum(kind == "verify" for kind, _ in hasher.threads) == verifies * 3


async def test_repeated_failures_lock_the_account_until_the_lock_ends(directory, clock):
    await directory.create_user("ops4", PASSWORD, "operator")
    for _ in range(4):
        with pytest.raises(Unauthorized):
            await directory.authenticate("ops4", "wrong password!")
    clock.now += timedelta(minutes=1)
    with pytest.raises(Unauthorized):
        await directory.authenticate("ops4", "wrong password!")  # the fifth: locks
    with pytest.raises(LockedOut) as locked:
        await directory.authenticate("ops4", PASSWORD)  # even the right password
    assert locked.value.retry_after == 15 * 60 and "15 more minutes" in locked.value.detail
    assert locked.value.status == 429
    clock.now += timedelta(minutes=14, seconds=30)
    with pytest.raises(LockedOut) as locked:
        await directory.authenticate("ops4", PASSWORD)
    assert locked.value.retry_after == 30 and "1 more minute" in locked.value.detail
    clock.now += timedelta(seconds=30)
    assert (await directory.authenticate("ops4", PASSWORD)).username == "ops4"
    info = await directory.user("ops4")
    assert info.locked_until is None


async def _outcome(directory, hasher, username: str, password: str) -> tuple:
    """What one login answers, and how many verifies it cost."""
    hasher.threads.clear()
    try:
        await directory.authenticate(username, password)
        answer: tuple = ("ok",)
    except LockedOut as exc:
        answer = ("locked", exc.detail, exc.retry_after, [e.field for e in exc.errors])
    except Unauthorized as exc:
        answer = ("refused", exc.detail, [e.field for e in exc.errors])
    return answer, sum(kind == "verify" for kind, _ in hasher.threads)


async def test_an_unknown_username_is_locked_out_like_an_account(directory, hasher, clock):
    """The same answers and the same work (verifies) at every step: failures, the lock (even the
    right password refused), its end, and failures older than the lockout no longer counted."""
    await directory.create_user("ops8", PASSWORD, "operator")
    await directory.authenticate("ops8", PASSWORD)
    with pytest.raises(Unauthorized):
        await directory.authenticate("nobody", "warm up")  # the dummy hash is made once, first
    await StaffLoginFailure.delete(force=True)
    wrong = "wrong password!"
    # (password, minutes to wait afterwards, what both are answered)
    script = [(wrong, 0, "refused")] * 4 + [(wrong, 1, "refused"), (PASSWORD, 15, "locked")]
    script += [(wrong, 1, "refused")] * 4 + [(wrong, 16, "refused")]
    script += [(wrong, 0, "refused")] * 4 + [(wrong, 0, "refused"), (PASSWORD, 0, "locked")]
    for step, (password, minutes, expected) in enumerate(script):
        known = await _outcome(directory, hasher, "ops8", password)
        unknown = await _outcome(directory, hasher, " No-Account", password)
        assert known == unknown, step
        assert known[0][0] == expected, step
        assert known[1] == (1 if expected == "refused" else 0), step
        clock.now += timedelta(minutes=minutes)


async def test_the_lock_of_an_unknown_name_ends_and_the_purge_forgets_it(directory, clock):
    for _ in range(5):
        with pytest.raises(Unauthorized):
            await directory.authenticate("ghost", "wrong password!")
    with pytest.raises(LockedOut) as locked:
        await directory.authenticate("GHOST", "anything at all")
    assert locked.value.retry_after == 15 * 60 and locked.value.status == 429
    assert await directory.forget_failures() == 0  # still counts
    clock.now += timedelta(minutes=15)
    with pytest.raises(Unauthorized):
        await directory.authenticate("ghost", "wrong password!")
    clock.now += timedelta(minutes=15, seconds=1)
    assert await directory.forget_failures() == 1
    assert await StaffLoginFailure.count() == 0


async def test_a_success_resets_the_count_of_failures(directory):
    await directory.create_user("ops5", PASSWORD, "operator")
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(Unauthorized):
                await directory.authenticate("ops5", "wrong password!")
        await directory.authenticate("ops5", PASSWORD)
    assert (await directory.user("ops5")).locked_until is None


async def test_a_disabled_user_cannot_log_in(directory, services):
    user = await directory.create_user("ops6", PASSWORD, "operator")
    disabled = await directory.disable_user("OPS6")
    assert disabled.disabled_at is not None
    with pytest.raises(Unauthorized) as caught:
        await directory.authenticate("ops6", PASSWORD)
    assert caught.value.detail == "this account is disabled"
    with pytest.raises(Unauthorized):
        await directory.principal(user.id)
    assert await directory.active_username(user.id) is None
    with pytest.raises(NotFound):
        await directory.disable_user("nobody")


async def test_a_hash_made_with_older_parameters_is_renewed_at_login(services, clock):
    old = StaffDirectory(services.reader, services.writer, hasher=RecordingHasher(1), clock=clock)
    new = StaffDirectory(services.reader, services.writer, hasher=RecordingHasher(2), clock=clock)
    try:
        user = await old.create_user("ops7", PASSWORD, "operator")
        sql = "SELECT password_hash FROM staff_user WHERE id = $1"
        before = (await services.reader.fetchrow(sql, user.id))["password_hash"]
        await new.authenticate("ops7", PASSWORD)
        after = (await services.reader.fetchrow(sql, user.id))["password_hash"]
        assert ",t=1," in before and ",t=2," in after
        await new.authenticate("ops7", PASSWORD)  # the new hash verifies and stays
        assert (await services.reader.fetchrow(sql, user.id))["password_hash"] == after
    finally:
        old.close()
        new.close()
