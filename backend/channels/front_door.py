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

from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def front_door(app: ASGIApp, trusted_proxies: tuple[str, ...]) -> ASGIApp:
    inner: Any = HeadAsGet(app)
    if trusted_proxies:
        inner = ProxyHeadersMiddleware(inner, trusted_hosts=list(trusted_proxies))
    return inner


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
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

        async def receive_until_ended() -> Message:
            if ended:  # a stream still running is told the client has gone
                return {"type": "http.disconnect"}
            return await receive()

        # A copy: the server's scope (its access log) still says HEAD.
        await self.app({**scope, "method": "GET"}, receive_until_ended, headers_only)
