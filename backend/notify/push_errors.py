"""What a push service's answer means to the outbox: every failure is a ``PushError``, sorted
into gone (delete the subscription), rejected (permanent) and unavailable (try again later)."""

from __future__ import annotations

from typing import Any


class PushError(Exception):
    """A push not accepted. ``permanent``: retrying this push cannot help. ``status``: the push
    service's HTTP status (None when no answer came: refused before sending, a timeout, no
    connection). ``retry_after``: seconds the service asked to wait. ``body``: the start of the
    service's answer."""

    permanent: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        body: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.body = body

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class PushGone(PushError):
    """404/410: the subscription has expired or was withdrawn. Delete it."""

    permanent = True


class PushRejected(PushError):
    """The push service refused this push for good (400, 401, 403, 413…), or it was not sent at
    all because it could not succeed (not https, malformed keys, too large)."""

    permanent = True


class PushUnavailable(PushError):
    """Not now (429, 5xx, a timeout, no connection): try again, after ``retry_after`` if set.
    ``maybe_sent``: the request went out but no answer came, so the browser may get it twice."""

    permanent = False

    def __init__(self, message: str, *, maybe_sent: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.maybe_sent = maybe_sent
