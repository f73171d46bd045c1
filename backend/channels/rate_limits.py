"""Per-client rate limits on the routes that create things, on Litestar's rate-limit middleware.

A route joins a bucket with `opt={"rate_limit": "submits"}, middleware=[RATE_LIMITED]` (on the
handler, not the app: other routes never pay for it; at app level it cost ~7 µs on every request,
-14% on the framework floor); Settings.rate_limits (the app's state `rate_limits`) says how many
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

    Litestar builds one middleware instance per route handler, so one instance serves one bucket;
    the limits are the app's (its state), read per request, so one handler serves several apps.
    """

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        limits = scope["litestar_app"].state.get("rate_limits") or {}
        limit = limits.get(scope["route_handler"].opt.get(BUCKET))
        if limit is None:
            await self.app(scope, receive, send)
            return
        self.unit, self.max_requests = limit
        await super().__call__(scope, receive, send)


RATE_LIMITED = DefineMiddleware(
    BucketRateLimitMiddleware,
    config=RateLimitConfig(
        rate_limit=("hour", 1),  # replaced by the bucket's limit on each request
        identifier_for_request=_client_and_bucket,
        store=STORE,
        middleware_class=BucketRateLimitMiddleware,
    ),
)


def rate_limit_store(redis_url: str | None) -> Store:
    if not redis_url:
        return MemoryStore()
    from litestar.stores.redis import RedisStore

    return RedisStore.with_client(url=redis_url, namespace="city311")
