"""configure_logging(): how every process logs (the web app, `city311 ...` commands, workers)."""

from __future__ import annotations

import logging

from backend import log_secrets
from backend.logsafe import FORMAT, OneLineFormatter


def configure_logging() -> None:
    """Our loggers at INFO on stderr, in every process (uvicorn's workers configure only theirs);
    a no-op where logging is already set up. One line a record, client text escaped
    (backend/logsafe.py), and no secret in any of them (backend/log_secrets.py)."""
    log_secrets.install()
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    # The Twilio SDK logs every API call at INFO (its URL, with the account, and its headers; a
    # dozen lines an SMS); the scheduler logs each run of the every-2-seconds dispatch job. Our
    # own loggers say what matters (numbers masked).
    for name, level in QUIETER.items():
        logging.getLogger(name).setLevel(level)


QUIETER = {
    "twilio.http_client": logging.WARNING,
    "apscheduler.executors.default": logging.WARNING,
    # "skipped: maximum number of running instances reached": a long dispatch run, by design
    "apscheduler.scheduler": logging.ERROR,
    # "Running Sqlite version 3.4" at the first query of every command
    "piccolo.engine.base": logging.WARNING,
}
