"""The HTTP library of the installed ``openai`` SDK: ``httpx2`` for openai 3.x, ``httpx`` for 1.x and 2.x.

Caller-supplied clients (``http_client``, ``http_async_client``) must come from this
library: ``modelverse_core.compat.httpx.Client(...)`` works with either SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import openai

OPENAI_MAJOR = int(openai.__version__.split(".", 1)[0])

if TYPE_CHECKING or OPENAI_MAJOR >= 3:
    import httpx2 as httpx
else:
    import httpx

__all__ = ["OPENAI_MAJOR", "httpx"]
