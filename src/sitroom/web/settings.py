"""How the web app is set up: one typed settings object, the bind check, and the server entry point."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, replace

from ..errors import ConfigError

TOKEN_ENV = "SITROOM_TOKEN"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


class UnsafeBindError(ConfigError):
    """Asked to listen on a non-loopback address without a token (exit code 2, as every ConfigError)."""


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Everything the app needs to know. ``token=None`` with ``from_env`` reads ``$SITROOM_TOKEN``.

    ``allowed_hosts``: the Host header values accepted (a guard against DNS rebinding); empty means
    the loopback names when bound to loopback, and any host otherwise (the token guards it then).
    ``analysis_wait``: how long a request waits for the analysis of a changed store (see
    ``web.analysis``) before it is served the previous results, marked as updating.
    """

    db: str | None = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    token: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    page_size: int = 50
    warm: bool = True  # analyse the store in the background at startup
    analysis_wait: float = 2.0  # seconds a request waits for a running analysis before older results
    settle_heap_from: int = 2_000  # documents from which an analysis's objects are frozen (``analysis.settle_heap``)

    def __post_init__(self) -> None:
        if self.token is not None and not self.token.strip():
            raise ConfigError("the token is empty", hint=f"give a non-empty --token or {TOKEN_ENV}, or none at all")
        if self.analysis_wait < 0:
            raise ConfigError(f"analysis_wait cannot be negative, not {self.analysis_wait}")
        if self.max_upload_bytes <= 0:
            raise ConfigError(f"max_upload_bytes must be positive, not {self.max_upload_bytes}")
        if not 0 < self.port < 65536:
            raise ConfigError(f"port {self.port} is out of range", hint="use 1–65535")

    @classmethod
    def from_env(cls, **values: object) -> WebSettings:
        """Settings from keyword values; a missing token is taken from ``$SITROOM_TOKEN`` when set."""
        settings = cls(**values)  # type: ignore[arg-type]
        if settings.token is None and os.environ.get(TOKEN_ENV, "").strip():
            settings = replace(settings, token=os.environ[TOKEN_ENV].strip())
        return settings

    @property
    def hosts(self) -> list[str]:
        """The Host header values the app answers to."""
        if self.allowed_hosts:
            return list(self.allowed_hosts)
        if is_loopback(self.host):
            return ["127.0.0.1", "localhost", "::1"]
        return ["*"]


def host_name(header: str) -> str:
    """The host of a Host header, without its port: ``[::1]:8765`` → ``::1``, ``Localhost:80`` → ``localhost``."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    return value.rpartition(":")[0] if value.count(":") == 1 else value


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1 or ``localhost``)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(settings: WebSettings) -> None:
    """Refuse to listen beyond this machine without a token: anyone on the network could read and write."""
    if not is_loopback(settings.host) and not settings.token:
        raise UnsafeBindError(
            "refusing to listen on a non-loopback address without a token",
            input=settings.host,
            hint=f"set --token or {TOKEN_ENV} (every request must then carry it), or bind to {DEFAULT_HOST}",
        )
