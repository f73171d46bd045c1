"""Client text in the log: escaped, so that no client can add a line of its own (a path with %0A,
a note with a line break, a NUL); every record is one line, and a traceback's lines are indented
under it, so no line a client wrote can start like a record. Phone numbers are logged masked
(`mask_phone`)."""

from __future__ import annotations

import logging
import re

# C0 and C1 controls, DEL, and Unicode's own line and paragraph separators
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def escape(value: object, limit: int | None = 300) -> str:
    """`value` as one printable line: 'a\\nb' for a line break, '\\x00' for a NUL; cut at `limit`."""
    text = str(value)
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return _CONTROL.sub(_escaped, text)


class OneLineFormatter(logging.Formatter):
    """Every message on one line; what follows it (a traceback) indented."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escape(record.message, limit=None)
        return super().formatMessage(record)

    def format(self, record: logging.LogRecord) -> str:
        return "\n    ".join(super().format(record).splitlines())


def mask_phone(phone: str | None) -> str:
    """'+13125550100' -> '+1312•••0100': enough to tell numbers apart in a log, not to text one."""
    if not phone:
        return "-"
    if len(phone) <= 6:
        return "•••" + phone[-2:]
    keep = 5 if phone.startswith("+") else 4
    if len(phone) < keep + 6:
        keep = 2
    return f"{phone[:keep]}•••{phone[-4:]}"
