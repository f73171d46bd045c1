"""Twilio media (MMS photos) fetched safely: the account's HTTP Basic credentials go only to
Twilio's API origin (or the configured one), at most three redirects to Twilio's CDN are followed,
and reading stops past a size cap. A part of `TwilioApi` (backend/transports/twilio.py)."""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import SplitResult, urljoin, urlsplit

import requests
from requests.auth import AuthBase

from backend.storage.photo_limits import MAX_PHOTO_BYTES

log = logging.getLogger("backend.transports.twilio")

DEFAULT_MEDIA_MAX_BYTES = MAX_PHOTO_BYTES
DEFAULT_MEDIA_TIMEOUT = 30.0  # seconds for a whole media download, redirects included
MAX_REDIRECTS = 3
# Twilio answers a media URL with a redirect to a short-lived URL on its CDN (mms.twiliocdn.com);
# accounts without "Enforce HTTP Auth on Media URLs" get an S3 URL instead, which an operator can
# allow by passing media_redirect_domains=(…, "s3-external-1.amazonaws.com").
MEDIA_REDIRECT_DOMAINS = ("twilio.com", "twiliocdn.com")
_DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, str, int | None]


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


class _NoAuth(AuthBase):
    """No credentials, and none from ~/.netrc either (requests reads it when auth is None)."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


def origin(parts: SplitResult) -> tuple[str, str, int | None]:
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def split_url(url: str) -> SplitResult | None:
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


class TwilioMedia:
    """Fetching MediaUrl{N}; `TwilioApi` sets these up in its __init__."""

    media_max_bytes: int
    media_timeout: float
    _media_session: requests.Session
    _auth: tuple[str, str]
    _base: SplitResult
    _redirect_domains: tuple[str, ...]
    _credential_origins: set[Origin]

    def media_url_allowed(self, url: str) -> bool:
        """Whether ``url`` may be fetched with the account's credentials: an http(s) URL on
        Twilio's API origin (https://api.twilio.com) or the configured api_base_url's origin."""
        parts = split_url(url)
        return parts is not None and origin(parts) in self._credential_origins

    def _redirect_allowed(self, parts: SplitResult) -> bool:
        if origin(parts) in self._credential_origins:
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
        first_origin = origin(urlsplit(url))
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
                    parts = split_url(target)
                    if parts is None or not self._redirect_allowed(parts):
                        log.warning("media redirect refused: %s", _for_log(target))
                        raise MediaRefused(f"media redirect to {_for_log(target)} not allowed")
                    if origin(parts) != first_origin:
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
