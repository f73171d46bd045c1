"""Twilio's REST API as a transport: send a text (official SDK) and fetch an MMS photo safely.

`TwilioApi.send_sms` sends through the twilio SDK and turns its failures into `SendError`
(backend/transports/twilio_errors.py). `TwilioApi.fetch_media` downloads a photo a resident
texted (backend/transports/twilio_media.py). Both have `…_async` twins that run in a worker
thread, since the SDK (requests) blocks. The SMS channel and the notification dispatcher both
use it; the composition root (backend/services.py) makes one per process and closes it.

Phone numbers are logged masked (`backend.logsafe.mask_phone`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client

from backend.logsafe import mask_phone
from backend.transports.twilio_errors import (
    SendError,
    SentMessage,
    never_reached,
    permanent,
    retry_after,
)
from backend.transports.twilio_media import (
    DEFAULT_MEDIA_MAX_BYTES,
    DEFAULT_MEDIA_TIMEOUT,
    MEDIA_REDIRECT_DOMAINS,
    MediaError,
    MediaFetchError,
    MediaRefused,
    MediaTooLarge,
    TwilioMedia,
    origin,
    split_url,
)

__all__ = [
    "MediaError",
    "MediaFetchError",
    "MediaRefused",
    "MediaTooLarge",
    "SendError",
    "SentMessage",
    "TwilioApi",
]

log = logging.getLogger(__name__)

TWILIO_API_BASE_URL = "https://api.twilio.com"
DEFAULT_TIMEOUT = 10.0  # seconds for one REST call


class TwilioSettings(Protocol):
    """The part of backend.settings.Settings that configures Twilio."""

    @property
    def twilio_account_sid(self) -> str | None: ...
    @property
    def twilio_auth_token(self) -> str | None: ...
    @property
    def twilio_from(self) -> str | None: ...
    @property
    def twilio_api_base_url(self) -> str | None: ...


class _HttpClient(TwilioHttpClient):  # type: ignore[misc]  # the SDK ships no types
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


class TwilioApi(TwilioMedia):
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
        base = split_url(api_base_url.rstrip("/"))
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
            origin(urlsplit(TWILIO_API_BASE_URL)),
            origin(base),
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
    def from_settings(cls, settings: TwilioSettings, **kwargs: Any) -> TwilioApi | None:
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
            reached = not never_reached(exc)
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
                permanent=permanent(getattr(exc, "code", None), status),
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
                return str(message.sid)
        return None

    async def find_sent_async(self, to: str, body: str, since: datetime) -> str | None:
        return await asyncio.to_thread(self.find_sent, to, body, since)

    def _rest_error(self, exc: TwilioRestException) -> SendError:
        status = exc.status
        code = exc.code if exc.code is not None else status
        # The SDK's msg is "Unable to create record: <Twilio's message>".
        message = str(exc.msg or "").removeprefix("Unable to create record: ")
        wait = retry_after(self._http.last_headers()) if status in (429, 503) else None
        return SendError(
            code,
            message or f"Twilio answered {status}",
            permanent=permanent(code, status),
            retry_after=wait,
            status=status,
        )
