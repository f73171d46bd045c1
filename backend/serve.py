"""`city311 serve`: uvicorn running the app built from the Settings given, in this process or in
worker processes; each worker gets those Settings with uvicorn's config (pickled), so nothing is
passed through the environment."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from backend.settings import Settings

if TYPE_CHECKING:
    from litestar import Litestar


class AppConfig(uvicorn.Config):
    """uvicorn's config whose app is `create_app(settings)`."""

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__("backend.app:create_app", factory=True, **kwargs)
        self.settings = settings

    def load_app(self) -> Callable[[], Litestar]:
        from backend.app import create_app

        return functools.partial(create_app, self.settings)


def serve(settings: Settings, host: str, port: int, *, workers: int, access_log: bool) -> None:
    """As `uvicorn.run` would, with the app built from `settings` in each process."""
    config = AppConfig(
        settings,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
        # X-Forwarded-For is read by the app, from CITY311_TRUSTED_PROXIES only (uvicorn's own
        # default would trust it from 127.0.0.1): backend/channels/front_door.py
        proxy_headers=False,
    )
    server = uvicorn.Server(config=config)
    try:
        if config.workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        else:
            server.run()
    except KeyboardInterrupt:
        pass
    if not server.started and config.workers == 1:
        sys.exit(STARTUP_FAILURE)
