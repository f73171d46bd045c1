"""What every HTTP request passes before routing: who the client is behind a trusted proxy, and HEAD
answered wherever GET is.

- The client's address (rate limits, the audit trail) is the connection's own, unless the
  connection comes from a proxy listed in CITY311_TRUSTED_PROXIES: then it is the last address
  of X-Forwarded-For that is not itself a trusted proxy (uvicorn's ProxyHeadersMiddleware, which
  also takes X-Forwarded-Proto). Anyone else's X-Forwarded-For is ignored, so a header cannot
  dodge a rate limit. `city311 serve` turns uvicorn's own proxy handling off (it trusts 127.0.0.1
  by default): this is the one place that decides.
- HEAD is routed as GET and answered with GET's status and headers (Content-Length included) and
  no body; a streaming answer (server-sent events) ends after its headers.
"""

from __future__ import annotations

from typing import Any, cast

import msgspec
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    ReceiveMessage,
    Scope,
    Send,
)
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from backend.channels.problems import PREFIX, PROBLEM_JSON, PROBLEM_TYPES


def front_door(
    app: ASGIApp, trusted_proxies: tuple[str, ...], mounts: dict[str, int] | None = None
) -> ASGIApp:
    """`mounts`: path prefix -> the body limit of the mounted app there."""
    inner: ASGIApp = HeadAsGet(app)
    if mounts:
        inner = MountBodyLimit(inner, mounts)
    if trusted_proxies:
        # uvicorn's middleware is typed with uvicorn's own ASGI types: the same protocol
        proxied: Any = ProxyHeadersMiddleware(cast(Any, inner), trusted_hosts=list(trusted_proxies))
        inner = proxied
    return inner


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def headers_only(message: Message) -> None:
            nonlocal ended
            if ended:
                return
            await send(message)
            if message["type"] == "http.response.start":
                ended = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        async def receive_until_ended() -> ReceiveMessage:
            if ended:  # a stream still running is told the client has gone
                return {"type": "http.disconnect"}
            return await receive()

        # A copy: the server's scope (its access log) still says HEAD.
        await self.app({**scope, "method": "GET"}, receive_until_ended, headers_only)


class MountBodyLimit:
    def __init__(self, app: ASGIApp, limits: dict[str, int]) -> None:
        self.app = app
        self.limits = limits

    def _limit(self, path: str) -> int | None:
        for prefix, limit in self.limits.items():
            if path == prefix or path.startswith(prefix + "/"):
                return limit
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self._limit(scope["path"]) if scope["type"] == ScopeType.HTTP else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        announced = dict(scope["headers"]).get(b"content-length")
        if announced is not None and (not announced.isdigit() or int(announced) > limit):
            await _too_large(scope, send, limit)
            return
        messages: list[ReceiveMessage] = []
        size = 0
        while True:  # read it all here, within the limit, then hand it on
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await _too_large(scope, send, limit)
                return
            if not message.get("more_body"):
                break

        async def replay() -> ReceiveMessage:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    kind = PROBLEM_TYPES["payload-too-large"]
    body = msgspec.json.encode(
        {
            "type": PREFIX + "payload-too-large",
            "title": kind.title,
            "status": kind.status,
            "detail": f"the body is larger than {limit} bytes",
            "instance": scope["path"],
        }
    )
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": kind.status,
        "headers": [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(start)
    await send(end)
