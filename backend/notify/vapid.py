"""The server's VAPID key pair (RFC 8292): from VAPID_PRIVATE_KEY (a PEM, or the path of one), else
made once in the data directory (mode 0600, written atomically) and read from there after."""

from __future__ import annotations

import base64
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

log = logging.getLogger("city311.notify.webpush")

ENV_PRIVATE_KEY = "VAPID_PRIVATE_KEY"  # a PEM, or the path of one; wins over the generated key
KEY_FILE = "vapid_private.pem"


@dataclass(frozen=True)
class VapidKeys:
    private_pem: bytes  # PKCS#8 PEM of the P-256 private key
    public_key: (
        str  # applicationServerKey: base64url uncompressed P-256 point (pushManager.subscribe)
    )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    text = text.strip()
    if not text or any(ch not in _B64URL for ch in text.rstrip("=")):
        raise ValueError("not base64url")
    text = text.rstrip("=").replace("+", "-").replace("/", "_")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/")


def keys_of(key: ec.EllipticCurvePrivateKey) -> VapidKeys:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(private_pem=pem, public_key=b64url(point))


def load_pem(pem: bytes, where: str) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        # (the key itself is never put in a message)
        raise ValueError(f"{where}: not a readable unencrypted PEM private key") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError(f"{where}: a VAPID key must be an EC P-256 (prime256v1) key")
    return key


def _key_from_setting(value: str) -> ec.EllipticCurvePrivateKey:
    where = f"${ENV_PRIVATE_KEY}"
    if "-----BEGIN" in value:
        # one line with literal "\n" as .env files and container settings often carry it
        return load_pem(value.replace("\\n", "\n").encode(), where)
    path = Path(value).expanduser()
    if path.is_file():
        try:
            return load_pem(path.read_bytes(), f"{where} ({path})")
        except OSError as exc:
            raise ValueError(f"{where}: {path} cannot be read: {exc.strerror}") from None
    try:  # the raw 32-byte private key in base64url, as `web-push generate-vapid-keys` prints it
        raw = b64url_decode(value)
        if len(raw) == 32:
            return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError:
        pass
    raise ValueError(
        f"{where} is neither a PEM, nor the path of a readable PEM file, nor a base64url P-256 "
        "private key"
    )


def _read_key_file(path: Path) -> VapidKeys:
    pem = path.read_bytes()
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        log.warning("%s is readable by others (mode %o): chmod 600 it", path, mode)
    return keys_of(load_pem(pem, str(path)))


def _create_key_file(path: Path) -> None:
    """Writes a new key to ``path`` unless one is there: a complete file appears at once (written
    aside, then hard-linked, which fails rather than replaces), so processes starting together all
    end up reading the one that won."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = keys_of(key).private_pem
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return  # another process was first: its key is the key
        except OSError:
            # no hard links on this file system: create it exclusively instead (a reader racing
            # us may see it short for a moment: load_or_create_vapid_keys retries)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return
            try:
                os.write(fd, pem)
                os.fsync(fd)
            finally:
                os.close(fd)
    finally:
        tmp.unlink(missing_ok=True)
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def load_or_create_vapid_keys(data_dir: Path) -> VapidKeys:
    """The server's VAPID keys: ``$VAPID_PRIVATE_KEY`` when set (a PEM, or its path), else
    ``data_dir/vapid_private.pem``, generated (mode 0600) the first time. Browsers subscribe with
    the public key, so the key must stay: a damaged file is an error, never replaced."""
    configured = os.environ.get(ENV_PRIVATE_KEY, "").strip()
    if configured:
        return keys_of(_key_from_setting(configured))
    path = Path(data_dir) / KEY_FILE
    try:
        return _read_key_file(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    _create_key_file(path)
    deadline = time.monotonic() + 2.0
    while True:
        try:
            keys = _read_key_file(path)
        except ValueError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)  # another process is still writing it (no-hard-link file systems)
            continue
        log.info("VAPID keys in %s (applicationServerKey %s)", path, keys.public_key)
        return keys
