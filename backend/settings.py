"""Runtime configuration: one Struct read once from the environment (CITY311_*, DATABASE_URL, TWILIO_*),
with the city served (CITY311_CITY: a profile of backend/cities.py)."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from datetime import time
from pathlib import Path

import msgspec

from backend.cities import DEFAULT as DEFAULT_CITY
from backend.cities import CityProfile, profile

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    city: CityProfile
    database_url: str | None
    public_base_url: str
    data_dir: Path
    media_dir: Path
    secret_key: str
    scheduler: bool
    quiet_hours: str
    digest_time: tuple[int, int] = (8, 0)  # (hour, minute) in the city's time
    # seconds before a failed notification's attempts 2, 3, 4… (the last repeats)
    dispatch_backoff: tuple[float, ...] = (30, 120, 600, 3600)
    redis_url: str | None
    twilio_account_sid: str | None
    twilio_auth_token: str | None
    twilio_from: str | None
    twilio_api_base_url: str | None
    photo_threads: int
    dispatch_seconds: float  # how often the outbox is dispatched
    dispatch_lease_seconds: float  # a claim not marked by then (its worker died) is due again
    sms_per_second: float | None  # the sender's pace (None: as fast as Twilio takes them)
    push_origins: tuple[str, ...]  # push services accepted beside the browser vendors' (tests)
    device_token_days: int
    # staff accounts: access token minutes, refresh token days, failed logins before a lock, and
    # how long the lock lasts (minutes)
    staff_access_minutes: int = 15
    staff_refresh_days: int = 14
    staff_lockout_attempts: int = 5
    staff_lockout_minutes: int = 15
    # bucket -> (unit, count): how many requests of that kind one client may send per unit
    rate_limits: dict[str, tuple[str, int]]
    # proxies whose X-Forwarded-For names the client (addresses or networks); none by default
    trusted_proxies: tuple[str, ...] = ()

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "city311.sqlite"


def _secret_key(data_dir: Path) -> str:
    """The signing key: from the environment, else generated once into the data directory."""
    if key := os.environ.get("CITY311_SECRET_KEY"):
        return key
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


# Per client address. An Open311 client is usually one server relaying many residents' reports,
# and a call centre's operators may share one address: their limits are higher than an app's.
DEFAULT_RATE_LIMITS = (
    "devices=20/hour,submits=60/hour,follows=120/hour,open311=600/hour,intake=600/hour"
)
RATE_LIMIT_BUCKETS = ("devices", "submits", "follows", "open311", "intake")
_UNITS = ("second", "minute", "hour", "day")


def parse_rate_limits(text: str) -> dict[str, tuple[str, int]]:
    """'devices=20/hour,submits=60/hour' -> {'devices': ('hour', 20), …}; 'off' -> {}."""
    if text.strip().lower() in ("off", "0", "false", "no", "none"):
        return {}
    limits: dict[str, tuple[str, int]] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        bucket, _, rate = item.partition("=")
        count, _, unit = rate.partition("/")
        if bucket not in RATE_LIMIT_BUCKETS or unit not in _UNITS or not count.isdigit():
            raise ValueError(
                f"CITY311_RATE_LIMITS: cannot read {item!r}; write e.g. "
                f"{DEFAULT_RATE_LIMITS!r} (buckets {', '.join(RATE_LIMIT_BUCKETS)}; "
                f"units {', '.join(_UNITS)}) or 'off'"
            )
        limits[bucket] = (unit, int(count))
    return limits


def parse_trusted_proxies(text: str) -> tuple[str, ...]:
    """'10.0.0.5, 10.1.0.0/16' -> ('10.0.0.5', '10.1.0.0/16'); each an IP address or network."""
    proxies = tuple(part.strip() for part in text.split(",") if part.strip())
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SystemExit(
                f"CITY311_TRUSTED_PROXIES: {proxy!r} is not an IP address or network; write e.g. "
                "'10.0.0.5,10.1.0.0/16' (the proxies in front of this server), or leave it unset"
            ) from None
    return proxies


def _photo_threads(env: Mapping[str, str]) -> int:
    # One fewer than the cores, so a burst of uploads never takes the core the event loop needs.
    raw = env.get("CITY311_PHOTO_THREADS") or ""
    return int(raw) if raw.isdigit() and int(raw) > 0 else max(1, (os.cpu_count() or 2) - 1)


def _per_second(text: str) -> float | None:
    """'1' (a long code), '100' (a short code); 'off' or '0': no pacing."""
    text = text.strip().lower()
    if text in ("", "off", "0", "none"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise SystemExit(f"CITY311_SMS_PER_SECOND: {text!r} is not a number (or off)") from None
    if value <= 0:
        raise SystemExit("CITY311_SMS_PER_SECOND must be positive, or off")
    return value


def _backoff(value: str) -> tuple[float, ...]:
    try:
        steps = tuple(float(part) for part in value.split(",") if part.strip())
    except ValueError:
        steps = ()
    if not steps or any(step <= 0 for step in steps):
        raise SystemExit(
            f"CITY311_DISPATCH_BACKOFF: cannot read {value!r}; write seconds, e.g. 30,120,600,3600"
        )
    return steps


def _digest_time(value: str) -> tuple[int, int]:
    try:
        moment = time.fromisoformat(value.strip())
    except ValueError:
        raise SystemExit(f"CITY311_DIGEST_TIME: cannot read {value!r}; write e.g. 08:00") from None
    return moment.hour, moment.minute


def load_city(env: Mapping[str, str] = os.environ) -> CityProfile:
    """The city served: CITY311_CITY names its profile (chicago when unset)."""
    return profile(env.get("CITY311_CITY") or DEFAULT_CITY)


def database_url(env: Mapping[str, str] = os.environ) -> str | None:
    """DATABASE_URL (PostgreSQL), or None: the SQLite file in the data directory."""
    return env.get("DATABASE_URL") or None


def data_dir(env: Mapping[str, str] = os.environ) -> Path:
    """CITY311_DATA_DIR, by default var/ in the project: the SQLite file, the keys, the lock."""
    return Path(env.get("CITY311_DATA_DIR") or PROJECT_ROOT / "var").resolve()


def configured_public_base_url(env: Mapping[str, str] = os.environ) -> str | None:
    """CITY311_PUBLIC_BASE_URL as set (a proxy's address), or None when it is not."""
    return (env.get("CITY311_PUBLIC_BASE_URL") or "").rstrip("/") or None


def load_settings() -> Settings:
    env = os.environ
    data_dir_ = data_dir(env)
    media_dir = Path(env.get("CITY311_MEDIA_DIR") or data_dir_ / "media").resolve()
    return Settings(
        city=load_city(env),
        database_url=database_url(env),
        public_base_url=configured_public_base_url(env) or "http://127.0.0.1:8000",
        data_dir=data_dir_,
        media_dir=media_dir,
        secret_key=_secret_key(data_dir_),
        scheduler=env.get("CITY311_SCHEDULER", "on").lower() not in ("off", "0", "false", "no"),
        quiet_hours=env.get("CITY311_QUIET_HOURS", "21:00-08:00"),
        digest_time=_digest_time(env.get("CITY311_DIGEST_TIME", "08:00")),
        dispatch_backoff=_backoff(env.get("CITY311_DISPATCH_BACKOFF", "30,120,600,3600")),
        redis_url=env.get("REDIS_URL") or None,
        twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
        twilio_from=env.get("TWILIO_MESSAGING_SERVICE_SID")
        or env.get("TWILIO_FROM_NUMBER")
        or None,
        twilio_api_base_url=env.get("TWILIO_API_BASE_URL") or None,
        photo_threads=_photo_threads(env),
        dispatch_seconds=float(env.get("CITY311_DISPATCH_SECONDS") or 2),
        dispatch_lease_seconds=float(env.get("CITY311_DISPATCH_LEASE_SECONDS") or 120),
        sms_per_second=_per_second(env.get("CITY311_SMS_PER_SECOND", "1")),
        push_origins=tuple(
            o.strip().rstrip("/")
            for o in env.get("CITY311_PUSH_ORIGINS", "").split(",")
            if o.strip()
        ),
        device_token_days=int(env.get("CITY311_DEVICE_TOKEN_DAYS") or 365),
        staff_access_minutes=int(env.get("CITY311_STAFF_ACCESS_MINUTES") or 15),
        staff_refresh_days=int(env.get("CITY311_STAFF_REFRESH_DAYS") or 14),
        staff_lockout_attempts=int(env.get("CITY311_STAFF_LOCKOUT_ATTEMPTS") or 5),
        staff_lockout_minutes=int(env.get("CITY311_STAFF_LOCKOUT_MINUTES") or 15),
        rate_limits=parse_rate_limits(env.get("CITY311_RATE_LIMITS", DEFAULT_RATE_LIMITS)),
        trusted_proxies=parse_trusted_proxies(env.get("CITY311_TRUSTED_PROXIES", "")),
    )
