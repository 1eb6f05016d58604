"""User settings: environment variables over an optional TOML file over defaults.

The file is ``~/.config/sitroom/config.toml`` (another path with ``SITROOM_CONFIG``)::

    extractor = "llm"            # rules (default) | llm

    [llm]
    base_url = "http://127.0.0.1:11434/v1"   # any OpenAI-compatible endpoint
    model = "qwen2.5:7b-instruct"
    api_key = ""                 # sent as "Authorization: Bearer ..." when set
    timeout = 120                # seconds per request

Each has an environment variable that wins over the file: ``SITROOM_EXTRACTOR``,
``SITROOM_LLM_BASE_URL``, ``SITROOM_LLM_MODEL``, ``SITROOM_LLM_API_KEY``, ``SITROOM_LLM_TIMEOUT``.
Other top-level keys and tables are left to the parts of sitroom that own them; unknown keys inside
``[llm]`` are errors, so a typo does not pass silently.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from .errors import ConfigError

ExtractorName = Literal["rules", "llm"]
EXTRACTORS: tuple[str, ...] = ("rules", "llm")
DEFAULT_CONFIG_PATH = "~/.config/sitroom/config.toml"
DEFAULT_TIMEOUT = 120.0

# setting → environment variable (the file's key is the setting name without the "llm_" prefix, in [llm])
ENV_VARS: dict[str, str] = {
    "extractor": "SITROOM_EXTRACTOR",
    "llm_base_url": "SITROOM_LLM_BASE_URL",
    "llm_model": "SITROOM_LLM_MODEL",
    "llm_api_key": "SITROOM_LLM_API_KEY",
    "llm_timeout": "SITROOM_LLM_TIMEOUT",
}
CONFIG_ENV = "SITROOM_CONFIG"
_LLM_KEYS = ("base_url", "model", "api_key", "timeout")


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings. Build with :func:`load_settings`; change one with :meth:`with_extractor`."""

    extractor: ExtractorName = "rules"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)  # never printed
    llm_timeout: float = DEFAULT_TIMEOUT
    source: str | None = None  # the config file that was read, if any

    def with_extractor(self, name: str) -> Settings:
        """A copy with another extractor (the CLI's ``--extractor``); ConfigError for unknown names."""
        return replace(self, extractor=_extractor(name, "--extractor"))

    def require_llm(self) -> None:
        """ConfigError naming the first missing LLM setting and how to set it."""
        for name, key in (("llm_base_url", "base_url"), ("llm_model", "model")):
            if not getattr(self, name):
                raise ConfigError(
                    f"the LLM extractor needs {key}, which is not set",
                    hint=f"set {ENV_VARS[name]} or `{key} = ...` under [llm] in {DEFAULT_CONFIG_PATH}",
                )


def config_path(env: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The config file to read and whether the user named it explicitly (then it must exist)."""
    env = os.environ if env is None else env
    named = env.get(CONFIG_ENV, "").strip()
    return (Path(named).expanduser(), True) if named else (Path(DEFAULT_CONFIG_PATH).expanduser(), False)


def load_settings(env: Mapping[str, str] | None = None, path: Path | str | None = None) -> Settings:
    """Settings from ``env`` (default ``os.environ``) over the TOML file at ``path`` (default: see module doc)."""
    env = os.environ if env is None else env
    if path is None:
        file, required = config_path(env)
    else:
        file, required = Path(path).expanduser(), True
    values: dict[str, Any] = {}
    source: str | None = None
    if file.is_file():
        values = _from_file(file)
        source = str(file)
    elif required:
        raise ConfigError("config file not found", input=str(file), hint=f"create it or unset {CONFIG_ENV}")
    for name, var in ENV_VARS.items():
        raw = env.get(var)
        if raw is not None and raw.strip():
            values[name] = (raw.strip(), var)
    return _build(values, source)


def _from_file(file: Path) -> dict[str, Any]:
    where = str(file)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file ({exc})", input=where) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file is not valid TOML ({exc})", input=where) from exc
    values: dict[str, Any] = {}
    if "extractor" in data:
        values["extractor"] = (data["extractor"], f"{where}: extractor")
    llm = data.get("llm", {})
    if not isinstance(llm, dict):
        raise ConfigError("[llm] must be a table", input=where)
    unknown = sorted(set(llm) - set(_LLM_KEYS))
    if unknown:
        raise ConfigError(f"unknown key(s) under [llm]: {', '.join(unknown)}", input=where,
                          hint=f"known keys: {', '.join(_LLM_KEYS)}")  # fmt: skip
    for key in _LLM_KEYS:
        if key in llm:
            values[f"llm_{key}"] = (llm[key], f"{where}: [llm] {key}")
    return values


def _build(values: Mapping[str, tuple[Any, str]], source: str | None) -> Settings:
    """Check and convert each (value, where it came from) pair."""
    kwargs: dict[str, Any] = {"source": source}
    for name, (value, where) in values.items():
        if name == "extractor":
            kwargs[name] = _extractor(value, where)
        elif name == "llm_timeout":
            kwargs[name] = _timeout(value, where)
        elif name == "llm_base_url":
            kwargs[name] = _base_url(value, where)
        else:
            if not isinstance(value, str):
                raise ConfigError(f"{where} must be a string, not {type(value).__name__}")
            kwargs[name] = value.strip() or None
    return Settings(**kwargs)


def _extractor(value: object, where: str) -> ExtractorName:
    name = value.strip().lower() if isinstance(value, str) else value
    if name not in EXTRACTORS:
        raise ConfigError(f"{where} is {value!r}, not an extractor", hint=f"use one of {', '.join(EXTRACTORS)}")
    return cast(ExtractorName, name)


def _timeout(value: object, where: str) -> float:
    try:
        seconds = float(value) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else math.nan
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise ConfigError(f"{where} is {value!r}, not a number of seconds", hint="use a positive number, e.g. 120")
    return seconds


def _base_url(value: object, where: str) -> str | None:
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a string, not {type(value).__name__}")
    url = value.strip().rstrip("/")
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where} is {value!r}, not an http(s) URL", hint="e.g. http://127.0.0.1:11434/v1 for Ollama")
    # people paste the full endpoint; the client appends /chat/completions itself
    return url.removesuffix("/chat/completions")
