"""The documented inference endpoints, one wire format each, over the same core types.

Each endpoint is one module with its encoder, parser and stream accumulator
(:mod:`.chat`, :mod:`.responses`, :mod:`.completions`), described by a :class:`Wire`;
what they share lives in :mod:`.common` (body finishing, content and parameter
encoding, tool-call ids, streamed parts) and :mod:`.choices` (the ``choices``
envelope of chat completions and completions). The client sends any wire the same
way (one retry layer, one error table, one stream wrapper); the plugins never see a
wire's body.
"""

from .base import Accumulator, Wire
from .chat import CHAT
from .completions import COMPLETIONS
from .responses import RESPONSES

__all__ = ["CHAT", "COMPLETIONS", "RESPONSES", "Accumulator", "Wire"]
