"""Live updates: Litestar's channels plugin (in memory, or Redis when REDIS_URL is set, so every
web process hears it) carries a wake-up per changed request; the outbox's "live" rows publish it
once their change has committed (backend/notify/live.py), and each open stream then reads the new
events from the history."""

from __future__ import annotations

from litestar.channels import ChannelsBackend, ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend

from backend.notify.live import KEY_PREFIX, channel_of

__all__ = ["channel_of", "live_plugin"]


def live_plugin(redis_url: str | None) -> ChannelsPlugin:
    if redis_url:
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend
        from redis.asyncio import Redis

        backend: ChannelsBackend = RedisChannelsPubSubBackend(
            redis=Redis.from_url(redis_url), key_prefix=KEY_PREFIX
        )
    else:
        backend = MemoryChannelsBackend()
    return ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True)
