"""Staff API fixtures: accounts of each role and their access tokens."""

from __future__ import annotations

import pytest

PASSWORD = "correct horse battery"


@pytest.fixture
def make_staff(services):
    """make_staff(role, username=None) -> (user id, access token); a department user works for the
    first department (by slug)."""

    async def make(role: str, username: str | None = None) -> tuple[int, str]:
        departments = []
        if role == "department":
            row = await services.reader.fetchrow("SELECT slug FROM department ORDER BY slug")
            departments = [row["slug"]]
        user = await services.staff.create_user(
            username or f"{role}-user", PASSWORD, role, departments
        )
        principal = await services.staff.principal(user.id)
        return user.id, services.staff_tokens.access_token(principal)

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
