"""No client can add a line to the log: its text is escaped, every record is one line, and what
follows a record (a traceback) is indented under it."""

from __future__ import annotations

import io
import logging

import httpx
from litestar import Litestar, get

from backend.channels.problems import EXCEPTION_HANDLERS
from backend.logsafe import FORMAT, OneLineFormatter, escape

FORGED = "x\n2026-01-01 00:00:00,000 ERROR city311.http forged\r\x00\u2028\x85"


def test_escape_keeps_text_on_one_printable_line():
    assert escape(FORGED) == (
        "x\\n2026-01-01 00:00:00,000 ERROR city311.http forged\\r\\x00\\u2028\\x85"
    )
    assert escape("Żółć 路 ok\t") == "Żółć 路 ok\\t"
    assert escape("a" * 1000, limit=10) == "a" * 10 + "…"


def _logger() -> tuple[logging.Logger, io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(OneLineFormatter(FORMAT))
    logger = logging.getLogger("city311.test_logsafe")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, out


def test_a_record_is_one_line_and_its_traceback_is_indented():
    logger, out = _logger()
    logger.info("note: %s", FORGED)
    try:
        raise ValueError(FORGED)
    except ValueError:
        logger.exception("failed on %s", "/a\nb")
    lines = out.getvalue().splitlines()
    records = [line for line in lines if not line.startswith("    ")]
    assert len(records) == 2, lines
    assert records[0].endswith("note: x\\n2026-01-01 00:00:00,000 ERROR city311.http forged\\r\\x00"
                               "\\u2028\\x85")  # fmt: skip
    assert records[1].endswith("failed on /a\\nb")
    assert any("Traceback" in line for line in lines[2:])


async def test_the_path_of_a_500_is_logged_on_one_line():
    @get("/{rest:path}")
    async def broken(rest: str) -> None:
        raise RuntimeError("boom")

    app = Litestar([broken], exception_handlers=EXCEPTION_HANDLERS, logging_config=None)  # type: ignore[arg-type]
    logger, out = _logger()
    http = logging.getLogger("city311.http")
    saved = http.handlers[:], http.propagate
    http.handlers[:], http.propagate = logger.handlers, False
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]  # Litestar's ASGI types are not httpx's
            base_url="http://t",
        ) as client:
            response = await client.get("/a%0A2026-01-01%20ERROR%20forged%00")
    finally:
        http.handlers[:], http.propagate = saved
    assert response.status_code == 500
    first, *rest = out.getvalue().splitlines()
    assert "unhandled error on GET /a\\n2026-01-01 ERROR forged\\x00 [request" in first
    assert rest and all(line.startswith("    ") for line in rest)
