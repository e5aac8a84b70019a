"""Connection settings: key, endpoint, timeouts, retries, headers and HTTP clients."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from pydantic import SecretStr

from .compat import httpx
from .errors import MissingAPIKeyError, ParameterError

API_KEY_ENV = "MODELVERSE_API_KEY"
BASE_URL_ENV = "MODELVERSE_BASE_URL"
REGIONS: dict[str, str] = {
    "cn": "https://api.modelverse.cn/v1",
    "global": "https://api.umodelverse.ai/v1",
}
DEFAULT_BASE_URL = REGIONS["cn"]
DEFAULT_TIMEOUT = 600.0
DEFAULT_MAX_RETRIES = 2
Region = Literal["cn", "global"]
Timeout = float | httpx.Timeout | None
_LOOPBACK = ("127.", "localhost", "::1", "[::1]")


@dataclass(frozen=True)
class ConnectionSettings:
    """Everything needed to open the SDK clients; the key stays a :class:`SecretStr`."""

    api_key: SecretStr
    base_url: str = DEFAULT_BASE_URL
    timeout: Timeout = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    default_headers: Mapping[str, str] | None = None
    http_client: httpx.Client | None = field(default=None, repr=False, compare=False)
    http_async_client: httpx.AsyncClient | None = field(default=None, repr=False, compare=False)


def api_key_from_env() -> SecretStr | None:
    """The key from ``MODELVERSE_API_KEY``, if set (a pydantic ``default_factory``)."""
    value = os.environ.get(API_KEY_ENV)
    return SecretStr(value) if value else None


def require_api_key(api_key: SecretStr | str | None) -> SecretStr:
    """The key as a secret, or a clear error naming the environment variable."""
    if isinstance(api_key, str):
        api_key = SecretStr(api_key)
    if api_key is None or not api_key.get_secret_value():
        raise MissingAPIKeyError(f"no API key: pass api_key=... or set the {API_KEY_ENV} environment variable")
    return api_key


def resolve_base_url(base_url: str | None = None, region: str | None = None) -> str:
    """Explicit ``base_url``, else the region's host, else ``MODELVERSE_BASE_URL``, else the default."""
    if base_url:
        url = base_url.rstrip("/")
    elif region:
        if region not in REGIONS:
            raise ParameterError("region", f"must be one of {', '.join(REGIONS)}", region)
        url = REGIONS[region]
    else:
        url = (os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    warn_if_plain_http(url)
    return url


def warn_if_plain_http(url: str) -> None:
    """Warn when the key would travel unencrypted to a host other than loopback."""
    parts = urlsplit(url)
    if parts.scheme == "http" and not (parts.hostname or "").startswith(_LOOPBACK):
        warnings.warn(
            f"base_url {url!r} uses plain http: the API key would be sent unencrypted",
            stacklevel=3,
        )


def check_connection(timeout: Timeout, max_retries: int) -> None:
    """Timeout and retry counts must be sensible."""
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout <= 0:
        raise ParameterError("timeout", "must be a positive number of seconds", timeout)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ParameterError("max_retries", "must be an integer >= 0", max_retries)
