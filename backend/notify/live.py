"""The dispatcher's "live" transport: a wake-up per changed request to the streams that follow
it. Published once the change has committed (the outbox's "live" rows); each open stream then
reads the new events from the history. In a web process the app plugs in its Litestar channels
plugin (`LiveTransport(plugin)`); in `city311 worker` it publishes straight to Redis, where the
web processes' plugins listen; with neither, nobody could be listening."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from backend.notify.store import Claimed

if TYPE_CHECKING:
    from litestar.channels.backends.redis import RedisChannelsPubSubBackend
    from redis.asyncio import Redis

KEY_PREFIX = "CITY311_LIVE"


def channel_of(tracking_number: str) -> str:
    return f"request:{tracking_number}"


class Publisher(Protocol):
    """What the web app's channels plugin offers (litestar.channels.ChannelsPlugin)."""

    def publish(self, data: Any, channels: str | list[str]) -> None: ...


class LiveTransport:
    channel = "live"

    def __init__(self, plugin: Publisher | None = None, redis_url: str | None = None) -> None:
        self.plugin = plugin
        self.redis_url = None if plugin is not None else redis_url
        self.redis: Redis | None = None
        self.backend: RedisChannelsPubSubBackend | None = None

    async def send(self, notification: Claimed) -> str | None:
        channel = channel_of(notification.target)
        if self.plugin is not None:
            self.plugin.publish({"event": notification.body}, channel)
        elif self.redis_url:
            if self.backend is None:  # connected at the first change, not for every process
                from litestar.channels.backends.redis import RedisChannelsPubSubBackend
                from redis.asyncio import Redis

                self.redis = Redis.from_url(self.redis_url)
                self.backend = RedisChannelsPubSubBackend(redis=self.redis, key_prefix=KEY_PREFIX)
            await self.backend.publish(msgspec.json.encode({"event": notification.body}), [channel])
        return None

    async def close(self) -> None:
        """Closes its Redis client (the app's plugin is the app's to close)."""
        if self.redis is not None:
            await self.redis.aclose()
            self.redis, self.backend = None, None
