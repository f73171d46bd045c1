"""What Twilio's answers mean to a sender: `SendError` says whether a retry can help, when, and
whether the text may already be on its way; `SentMessage` is what a send that worked returns."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec
import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

from backend.retry_after import retry_after_seconds

OPTED_OUT = 21610  # the resident texted STOP: Twilio refuses until they text START
# Errors about the recipient: sending the same text to the same number will never work.
PERMANENT_CODES = frozenset(
    {
        21610,  # unsubscribed recipient (STOP)
        21211,  # invalid 'To' phone number
        21614,  # 'To' is not a mobile number (not SMS-capable)
        30003,  # unreachable destination handset
        30005,  # unknown destination handset
        30006,  # landline or unreachable carrier
    }
)


class SentMessage(msgspec.Struct, frozen=True):
    sid: str  # "SM…"
    status: str  # "queued", or "accepted" through a Messaging Service
    segments: int  # what Twilio bills


class SendError(Exception):
    """Twilio did not take the text.

    code: Twilio's error code (21610…; the HTTP status when the answer carried none; None when
    nothing answered). permanent: a retry of this text to this number cannot succeed (the
    recipient codes in PERMANENT_CODES, and requests Twilio rejects as malformed); wrong
    credentials or account (401/403/404), 429, 5xx, timeouts and connection failures are not
    permanent. retry_after: seconds Twilio asked to wait (429/503 Retry-After). maybe_sent: the
    request reached Twilio but no answer came back (a read timeout), so a retry may send twice.
    """

    def __init__(
        self,
        code: int | None,
        message: str,
        permanent: bool,
        retry_after: float | None = None,
        *,
        status: int | None = None,
        maybe_sent: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after
        self.status = status
        self.maybe_sent = maybe_sent

    @property
    def opted_out(self) -> bool:
        """The resident opted out (STOP): record it and send them nothing more."""
        return self.code == OPTED_OUT

    def __repr__(self) -> str:
        return (
            f"SendError(code={self.code!r}, status={self.status!r}, permanent={self.permanent}, "
            f"retry_after={self.retry_after!r}, maybe_sent={self.maybe_sent}, {self.message!r})"
        )


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """The seconds Twilio asked to wait (its Retry-After header), if it said."""
    return retry_after_seconds(headers.get("Retry-After") if headers else None)


def never_reached(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached Twilio (no connection was ever made)."""
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError):
        return True
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    # urllib3's NewConnectionError and NameResolutionError are ConnectTimeoutErrors too
    return isinstance(reason, ConnectTimeoutError)


def permanent(code: int | None, status: int | None) -> bool:
    """Whether a retry of the same text to the same number cannot succeed."""
    if code in PERMANENT_CODES:
        return True
    if status is None or status == 429 or status >= 500:
        return False
    # Credentials or account wrong: fix the configuration and the same text will go.
    if status in (401, 403, 404):
        return False
    return 400 <= status < 500
