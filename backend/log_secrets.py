"""No secret in any log line: API keys, tokens, passwords and signatures are masked in every record
of every logger (ours, uvicorn's access log, libraries'), whatever handler writes it.

`install()` (run by `configure_logging`, so in every process) puts a record factory in front of
logging's own: each record's message, its arguments (one by one, so formatters that unpack them —
uvicorn's access log — still work) and its traceback text are masked when the record is made:

- `name=value` of a secret-looking name (api_key, token, password, secret, signature, …), as in
  a query string or a form: `?api_key=c311_…` → `?api_key=***` (Open311 clients put the api_key
  in the query string of every call);
- `"name": "value"` and `name: value` (JSON, a dict, a header line);
- `Bearer …`, `Basic …` (an Authorization header);
- the shapes of our own secrets wherever they appear: Open311 keys (`c311_…`), staff access
  tokens (JWTs), resident device tokens;
- the configured secrets themselves (`register`): the Twilio auth token, the signing key.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

MASK = "***"
_NAMES = (
    r"[\w.-]*(?:api[_-]?key|apikey|token|password|passwd|passphrase|secret|signature|"
    r"credential|session)[\w.-]*|sig|key|auth|authorization|cookie|set-cookie"
)
_QUOTE = r"(?:\\?[\"'])?"
# name=value (a query string, a form), "name": "value" (JSON, a dict's repr), name: value (a
# header line); a quoted value is masked whole, spaces and escaped quotes included
_PAIR = re.compile(
    rf"(?i)({_QUOTE}(?<![\w.-])(?:{_NAMES}){_QUOTE}\s*[:=]\s*)"
    r"(\\?\"(?:[^\"\\]|\\.)*?\\?\"|'[^']*'|[^\s,}\]&;\"')]+)"
)
_SCHEME = re.compile(r"(?i)\b(bearer|basic|digest)\s+[A-Za-z0-9._~+/=-]{4,}")
_SHAPES = [
    re.compile(r"\bc311_[A-Za-z0-9_-]{8,}"),  # an Open311 API key
    re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),  # a JWT
    re.compile(r"\b\d+\.[0-9a-f]{32}\.\d+\.[A-Za-z0-9_-]{16,}"),  # a device token
]
# Text without any of these cannot hold a secret of the kinds above: most records skip the rest.
_TRIGGER = re.compile(
    r"(?i)key|token|pass|secret|sig|auth|session|cookie|credential|bearer|basic|digest|c311_|eyJ"
    r"|\.[0-9a-f]{32}\."
)
_known: set[str] = set()
_lock = threading.Lock()
_installed = False


def register(*secrets: str | None) -> None:
    """Values that must never be logged as they are (configured credentials); short ones (under 8
    characters) are left out, they would mask ordinary words."""
    with _lock:
        _known.update(s for s in secrets if s and len(s) >= 8)


def _pair(match: re.Match[str]) -> str:
    value = match.group(2)
    for quote in ('\\"', '"', "'"):
        if value.startswith(quote):
            return f"{match.group(1)}{quote}{MASK}{quote}"
    return f"{match.group(1)}{MASK}"


def mask(text: str) -> str:
    """`text` with every secret it holds replaced by ***."""
    for value in _known:
        if value in text:
            text = text.replace(value, MASK)
    if not _TRIGGER.search(text):
        return text
    text = _SCHEME.sub(lambda m: f"{m.group(1)} {MASK}", text)
    for pattern in _SHAPES:
        text = pattern.sub(MASK, text)
    return _PAIR.sub(_pair, text)


def _masked_arg(value: Any) -> Any:
    if value is None or isinstance(value, int | float | bool):
        return value  # numbers stay numbers (a formatter may say %d)
    text = value if isinstance(value, str) else str(value)
    masked = mask(text)
    return masked if masked != text or isinstance(value, str) else value


def mask_record(record: logging.LogRecord) -> None:
    if isinstance(record.msg, str):
        record.msg = mask(record.msg)
    elif record.msg is not None and not record.args:
        record.msg = mask(str(record.msg))
    if isinstance(record.args, tuple):
        record.args = tuple(_masked_arg(a) for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: _masked_arg(v) for k, v in record.args.items()}
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = mask(record.stack_info)


def install() -> None:
    """Mask every record made from now on, in this process (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            mask_record(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
