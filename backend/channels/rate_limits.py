"""Per-client rate limits on the routes that create things, on Litestar's rate-limit middleware.

A route joins a bucket with `opt={"rate_limit": "submits"}`; Settings.rate_limits says how many
requests of each bucket one client (its address) may send per unit. Counters live in the app's
"rate_limit" store: in memory by default (per process), in Redis when REDIS_URL is set, so that
several web workers share them. A client over its limit gets a 429 rate-limited problem with
`Retry-After` (added where problems are rendered).
"""

from __future__ import annotations

from typing import Any

from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware, get_remote_address
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore

BUCKET = "rate_limit"  # the route option naming a handler's bucket
STORE = "rate_limit"  # the app store holding the counters


def _client_and_bucket(request: Any) -> str:
    return f"{request.route_handler.opt.get(BUCKET)}:{get_remote_address(request)}"


class BucketRateLimitMiddleware(RateLimitMiddleware):
    """Litestar's middleware, with the limit of the route's bucket; other routes pass untouched.

    Litestar builds one middleware instance per route handler, so one instance serves one bucket.
    """

    def __init__(self, app: Any, config: RateLimitConfig, limits: dict[str, tuple[str, int]]):
        super().__init__(app=app, config=config)
        self.limits = limits

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        handler = scope.get("route_handler")
        limit = self.limits.get(handler.opt.get(BUCKET)) if handler is not None else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        self.unit, self.max_requests = limit  # type: ignore[assignment]
        await super().__call__(scope, receive, send)


def rate_limit_middleware(limits: dict[str, tuple[str, int]]) -> DefineMiddleware:
    config = RateLimitConfig(
        rate_limit=("hour", 1),
        identifier_for_request=_client_and_bucket,
        store=STORE,
        middleware_class=BucketRateLimitMiddleware,
    )
    return DefineMiddleware(BucketRateLimitMiddleware, config=config, limits=limits)


def rate_limit_store(redis_url: str | None) -> Store:
    if not redis_url:
        return MemoryStore()
    from litestar.stores.redis import RedisStore

    return RedisStore.with_client(url=redis_url, namespace="city311")
