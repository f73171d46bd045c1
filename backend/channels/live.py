"""Live updates: Litestar's channels plugin (in memory, or Redis when REDIS_URL is set, so every
web process hears it) carries a wake-up per changed request; the outbox's "live" rows publish it
once their change has committed, and each open stream then reads the new events from the history."""

from __future__ import annotations

import msgspec
from litestar.channels import ChannelsBackend, ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend

from backend.notify.store import Claimed


def channel_of(tracking_number: str) -> str:
    return f"request:{tracking_number}"


def live_plugin(redis_url: str | None) -> ChannelsPlugin:
    if redis_url:
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend
        from redis.asyncio import Redis

        backend: ChannelsBackend = RedisChannelsPubSubBackend(
            redis=Redis.from_url(redis_url), key_prefix="CITY311_LIVE"
        )
    else:
        backend = MemoryChannelsBackend()
    return ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True)


class LiveTransport:
    """The dispatcher's transport for the "live" channel: a wake-up to the request's streams.
    In a web process it publishes through the app's plugin; in `city311 worker` straight to
    Redis (the web processes' plugins listen there); with neither, nobody could be listening."""

    channel = "live"

    def __init__(self, plugin: ChannelsPlugin | None = None, redis_url: str | None = None):
        self.plugin = plugin
        self.backend = None
        if plugin is None and redis_url:
            from litestar.channels.backends.redis import RedisChannelsPubSubBackend
            from redis.asyncio import Redis

            self.backend = RedisChannelsPubSubBackend(
                redis=Redis.from_url(redis_url), key_prefix="CITY311_LIVE"
            )

    async def send(self, notification: Claimed) -> str | None:
        channel = channel_of(notification.target)
        if self.plugin is not None:
            self.plugin.publish({"event": notification.body}, channel)
        elif self.backend is not None:
            await self.backend.publish(msgspec.json.encode({"event": notification.body}), [channel])
        return None
