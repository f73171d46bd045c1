"""Twilio's REST API for the SMS channel: send a text (official SDK) and fetch an MMS photo safely.

`TwilioApi.send_sms` sends through the twilio SDK and turns its failures into `SendError`, which
says whether a retry can help (`permanent`), when (`retry_after`) and whether the text may already
be on its way (`maybe_sent`). `TwilioApi.fetch_media` downloads a photo a resident texted: Twilio
media needs the account's HTTP Basic credentials, so it only fetches URLs on the Twilio API origin
(or the configured one), never sends the credentials to another origin, follows at most three
redirects to Twilio's CDN, and stops reading past a size cap. Both have `…_async` twins that run
in a worker thread, since the SDK (requests) blocks.

Phone numbers are logged masked (`mask_phone`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit

import msgspec
import requests
from requests.auth import AuthBase
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

from backend.retry_after import retry_after_seconds
from backend.storage.photo_limits import MAX_PHOTO_BYTES

log = logging.getLogger(__name__)

TWILIO_API_BASE_URL = "https://api.twilio.com"
DEFAULT_TIMEOUT = 10.0  # seconds for one REST call
DEFAULT_MEDIA_MAX_BYTES = MAX_PHOTO_BYTES
DEFAULT_MEDIA_TIMEOUT = 30.0  # seconds for a whole media download, redirects included
MAX_REDIRECTS = 3
# Twilio answers a media URL with a redirect to a short-lived URL on its CDN (mms.twiliocdn.com);
# accounts without "Enforce HTTP Auth on Media URLs" get an S3 URL instead, which an operator can
# allow by passing media_redirect_domains=(…, "s3-external-1.amazonaws.com").
MEDIA_REDIRECT_DOMAINS = ("twilio.com", "twiliocdn.com")

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
_DEFAULT_PORTS = {"http": 80, "https": 443}


def mask_phone(phone: str | None) -> str:
    """'+13125550100' -> '+1312•••0100': enough to tell numbers apart in a log, not to text one."""
    if not phone:
        return "-"
    if len(phone) <= 6:
        return "•••" + phone[-2:]
    keep = 5 if phone.startswith("+") else 4
    if len(phone) < keep + 6:
        keep = 2
    return f"{phone[:keep]}•••{phone[-4:]}"


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


class MediaError(Exception):
    """A photo could not be fetched."""


class MediaRefused(MediaError):
    """The URL (or a redirect) points somewhere not allowed; nothing was requested from it."""


class MediaTooLarge(MediaError):
    """The media is larger than the cap; reading stopped there."""


class MediaFetchError(MediaError):
    """The download failed: an error status, too many redirects, a timeout, no connection."""

    def __init__(self, message: str, *, status: int | None = None, temporary: bool) -> None:
        super().__init__(message)
        self.status = status
        self.temporary = temporary


class _HttpClient(TwilioHttpClient):
    """The SDK's own HTTP client, also keeping the last answer's headers per thread.

    TwilioRestException does not carry the response headers, and Retry-After is one of them. A
    send runs wholly in one thread, so the thread's last answer is the send's answer.
    """

    def __init__(self, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self._local = threading.local()

    def request(self, *args: Any, **kwargs: Any) -> TwilioResponse:
        self._local.headers = None
        response = super().request(*args, **kwargs)
        self._local.headers = response.headers
        return response

    def last_headers(self) -> Any:
        return getattr(self._local, "headers", None)


class _NoAuth(AuthBase):
    """No credentials, and none from ~/.netrc either (requests reads it when auth is None)."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


def _origin(parts: SplitResult) -> tuple[str, str, int | None]:
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def _split(url: str) -> SplitResult | None:
    """The URL's parts when it is a plain http(s) URL without credentials in it, else None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return parts


def _retry_after(headers: Any) -> float | None:
    return retry_after_seconds(headers.get("Retry-After") if headers else None)


def _never_reached(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached Twilio (no connection was ever made)."""
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError):
        return True
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    # urllib3's NewConnectionError and NameResolutionError are ConnectTimeoutErrors too
    return isinstance(reason, ConnectTimeoutError)


class TwilioApi:
    """One Twilio account; safe to share between threads and tasks.

    sender: the number texts come from ("+13127445000"), or a Messaging Service SID ("MG…"),
    which then picks the number. api_base_url: Twilio's API origin, or a Twilio-compatible server
    (the tests' FakeTwilio). timeout: seconds for one REST call.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sender: str,
        *,
        api_base_url: str = TWILIO_API_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
        media_max_bytes: int = DEFAULT_MEDIA_MAX_BYTES,
        media_timeout: float = DEFAULT_MEDIA_TIMEOUT,
        media_redirect_domains: Iterable[str] = MEDIA_REDIRECT_DOMAINS,
    ) -> None:
        base = _split(api_base_url.rstrip("/"))
        if base is None or base.path not in ("", "/"):
            raise ValueError(f"api_base_url must be an http(s) origin, not {api_base_url!r}")
        if not sender:
            raise ValueError("a sender is needed: a phone number or a Messaging Service SID")
        self.account_sid = account_sid
        self.api_base_url = f"{base.scheme}://{base.netloc}"
        self.timeout = timeout
        self.media_max_bytes = media_max_bytes
        self.media_timeout = media_timeout
        is_service = sender.startswith("MG")
        self.messaging_service_sid = sender if is_service else None
        self.from_number = None if is_service else sender
        self._base = base
        self._auth = (account_sid, auth_token)
        self._redirect_domains = tuple(d.lower().strip(".") for d in media_redirect_domains)
        # Credentials go to these origins only: Twilio's API and the configured one.
        self._credential_origins = {
            _origin(urlsplit(TWILIO_API_BASE_URL)),
            _origin(base),
        }

        self._http = _HttpClient(timeout=timeout)
        # `environment` is given so that the SDK reads nothing from os.environ: the settings
        # passed here are the whole configuration (TWILIO_EDGE / TWILIO_REGION there would
        # otherwise rewrite the host of every URL, the configured one included).
        self._client = Client(
            account_sid,
            auth_token,
            http_client=self._http,
            environment={"TWILIO_ACCOUNT_SID": account_sid},
        )
        # Pointing the SDK at api_base_url: every API-domain URL is built by
        # Domain.absolute_url() from the public `base_url` attribute, which ApiBase sets to
        # "https://api.twilio.com". Setting it is the SDK's own seam; edge/region can only name
        # *.twilio.com hosts and a URL-rewriting http_client would be a second URL builder.
        self._client.api.base_url = self.api_base_url
        self._messages = self._client.api.v2010.account.messages

        self._media_session = requests.Session()
        self._media_session.headers["User-Agent"] = "city311-sms"

    @classmethod
    def from_settings(cls, settings: Any, **kwargs: Any) -> TwilioApi | None:
        """From Settings' twilio_* fields (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
        TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER, TWILIO_API_BASE_URL); None when
        Twilio is not configured."""
        sid, token, sender = (
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            settings.twilio_from,
        )
        if not (sid and token and sender):
            return None
        base = settings.twilio_api_base_url or TWILIO_API_BASE_URL
        return cls(sid, token, sender, api_base_url=base, **kwargs)

    def close(self) -> None:
        self._media_session.close()
        if self._http.session is not None:
            self._http.session.close()

    def __repr__(self) -> str:
        return f"<TwilioApi {self.account_sid} at {self.api_base_url}>"

    # -- sending -------------------------------------------------------------------------------

    def send_sms(
        self,
        to: str,
        body: str,
        status_callback: str | None = None,
        media_urls: Iterable[str] = (),
    ) -> SentMessage:
        """Send ``body`` (and photos at public ``media_urls``) to ``to`` (E.164).

        ``status_callback``: where Twilio posts the delivery statuses (signed). Raises SendError.
        """
        kwargs: dict[str, Any] = {"to": to, "body": body}
        if self.from_number:
            kwargs["from_"] = self.from_number
        if self.messaging_service_sid:
            kwargs["messaging_service_sid"] = self.messaging_service_sid
        if status_callback:
            kwargs["status_callback"] = status_callback
        media = list(media_urls)
        if media:
            kwargs["media_url"] = media
        try:
            message = self._messages.create(**kwargs)
        except TwilioRestException as exc:
            error = self._rest_error(exc)
        except requests.RequestException as exc:
            reached = not _never_reached(exc)
            kind = "timed out" if isinstance(exc, requests.Timeout) else "connection failed"
            error = SendError(
                None,
                f"Twilio {kind}: {type(exc).__name__}",
                permanent=False,
                maybe_sent=reached,
            )
        except TwilioException as exc:  # e.g. TwilioServiceException (an RFC 9457 answer)
            status = getattr(exc, "status", None)
            error = SendError(
                getattr(exc, "code", None),
                str(getattr(exc, "detail", None) or getattr(exc, "title", None) or exc),
                permanent=self._permanent(getattr(exc, "code", None), status),
                status=status,
            )
        else:
            segments = int(message.num_segments or 1)
            log.info(
                "sms sent %s to %s (%s, %d segment%s)",
                message.sid,
                mask_phone(to),
                message.status,
                segments,
                "" if segments == 1 else "s",
            )
            return SentMessage(sid=message.sid, status=str(message.status), segments=segments)
        log.warning(
            "sms to %s not sent: code %s, status %s, %s%s",
            mask_phone(to),
            error.code,
            error.status,
            "permanent" if error.permanent else "temporary",
            ", may have been sent" if error.maybe_sent else "",
        )
        raise error

    async def send_sms_async(
        self,
        to: str,
        body: str,
        status_callback: str | None = None,
        media_urls: Iterable[str] = (),
    ) -> SentMessage:
        """send_sms in a worker thread: the event loop goes on while Twilio answers."""
        return await asyncio.to_thread(self.send_sms, to, body, status_callback, tuple(media_urls))

    def find_sent(self, to: str, body: str, since: datetime) -> str | None:
        """The sid of a message with this body Twilio took for `to` at or after `since`, if
        any: before sending again a message whose first try may have reached Twilio (a worker
        killed mid-send, a timeout after the request left), ask. Twilio lists newest first."""
        try:
            recent = self._messages.list(to=to, limit=20)
        except (TwilioException, requests.RequestException) as exc:
            raise SendError(
                None, f"could not list messages: {type(exc).__name__}", permanent=False
            ) from None
        cutoff = since.replace(microsecond=0)
        for message in recent:
            created = message.date_created
            if message.body == body and (created is None or created >= cutoff):
                log.info(
                    "sms to %s was already sent as %s: not sent again", mask_phone(to), message.sid
                )
                return message.sid
        return None

    async def find_sent_async(self, to: str, body: str, since: datetime) -> str | None:
        return await asyncio.to_thread(self.find_sent, to, body, since)

    def _rest_error(self, exc: TwilioRestException) -> SendError:
        status = exc.status
        code = exc.code if exc.code is not None else status
        # The SDK's msg is "Unable to create record: <Twilio's message>".
        message = str(exc.msg or "").removeprefix("Unable to create record: ")
        retry_after = None
        if status in (429, 503):
            retry_after = _retry_after(self._http.last_headers())
        return SendError(
            code,
            message or f"Twilio answered {status}",
            permanent=self._permanent(code, status),
            retry_after=retry_after,
            status=status,
        )

    @staticmethod
    def _permanent(code: int | None, status: int | None) -> bool:
        if code in PERMANENT_CODES:
            return True
        if status is None or status == 429 or status >= 500:
            return False
        # Credentials or account wrong: fix the configuration and the same text will go.
        if status in (401, 403, 404):
            return False
        return 400 <= status < 500

    # -- media ---------------------------------------------------------------------------------

    def media_url_allowed(self, url: str) -> bool:
        """Whether ``url`` may be fetched with the account's credentials: an http(s) URL on
        Twilio's API origin (https://api.twilio.com) or the configured api_base_url's origin."""
        parts = _split(url)
        return parts is not None and _origin(parts) in self._credential_origins

    def _redirect_allowed(self, parts: SplitResult | None) -> bool:
        if parts is None:
            return False
        if _origin(parts) in self._credential_origins:
            return True
        host = (parts.hostname or "").lower()
        if parts.scheme.lower() == "https" and any(
            host == domain or host.endswith("." + domain) for domain in self._redirect_domains
        ):
            return True
        # A Twilio-compatible server's own "CDN": the configured host, on any port.
        return parts.scheme.lower() == self._base.scheme and host == self._base.hostname

    def fetch_media(
        self, url: str, *, max_bytes: int | None = None, timeout: float | None = None
    ) -> tuple[bytes, str]:
        """The bytes and media type (e.g. "image/jpeg") of a Twilio media URL (MediaUrl{N}).

        Raises MediaRefused (URL or redirect not allowed: nothing is asked of that host),
        MediaTooLarge (past ``max_bytes``, default media_max_bytes), MediaFetchError (an error
        answer, more than three redirects, ``timeout`` seconds in all, default media_timeout).
        """
        cap = self.media_max_bytes if max_bytes is None else max_bytes
        deadline = time.monotonic() + (self.media_timeout if timeout is None else timeout)
        if not self.media_url_allowed(url):
            log.warning("media refused: %s is not on the Twilio API origin", _for_log(url))
            raise MediaRefused(f"not a Twilio media URL: {_for_log(url)}")
        first_origin = _origin(urlsplit(url))
        with_credentials = True
        for hop in range(MAX_REDIRECTS + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise MediaFetchError("media download timed out", temporary=True)
            try:
                response = self._media_session.get(
                    url,
                    # The credentials only ever go to the origin first asked; once a redirect
                    # leaves it they are dropped for good.
                    auth=self._auth if with_credentials else _NoAuth(),
                    stream=True,
                    allow_redirects=False,
                    timeout=remaining,
                )
            except requests.RequestException as exc:
                raise MediaFetchError(
                    f"media download failed: {type(exc).__name__}", temporary=True
                ) from None
            with response:
                if response.is_redirect:
                    if hop == MAX_REDIRECTS:
                        raise MediaFetchError(
                            f"more than {MAX_REDIRECTS} redirects", temporary=False
                        )
                    target = urljoin(url, response.headers["Location"])
                    parts = _split(target)
                    if not self._redirect_allowed(parts):
                        log.warning("media redirect refused: %s", _for_log(target))
                        raise MediaRefused(f"media redirect to {_for_log(target)} not allowed")
                    if _origin(parts) != first_origin:
                        with_credentials = False
                    url = target
                    continue
                return self._read_media(response, cap, deadline)
        raise AssertionError("unreachable")  # pragma: no cover

    def _read_media(
        self, response: requests.Response, cap: int, deadline: float
    ) -> tuple[bytes, str]:
        status = response.status_code
        if status != 200:
            raise MediaFetchError(
                f"media download answered {status}",
                status=status,
                temporary=status in (408, 429) or status >= 500,
            )
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise MediaTooLarge(f"media is {int(declared)} bytes, more than {cap}")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > cap:
                    raise MediaTooLarge(f"media is more than {cap} bytes")
                if time.monotonic() > deadline:
                    raise MediaFetchError("media download timed out", temporary=True)
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise MediaFetchError(
                f"media download failed: {type(exc).__name__}", temporary=True
            ) from None
        content_type = response.headers.get("Content-Type") or "application/octet-stream"
        return b"".join(chunks), content_type.split(";")[0].strip().lower()

    async def fetch_media_async(
        self, url: str, *, max_bytes: int | None = None, timeout: float | None = None
    ) -> tuple[bytes, str]:
        """fetch_media in a worker thread."""
        return await asyncio.to_thread(
            lambda: self.fetch_media(url, max_bytes=max_bytes, timeout=timeout)
        )


def _for_log(url: str) -> str:
    """A URL without its query string or any user:password in it, for messages and logs."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(unreadable URL)"
    return f"{parts.scheme}://{host}{port}{parts.path}"
