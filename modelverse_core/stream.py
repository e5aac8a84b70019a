"""Deprecated: this module's names moved.

Chat's stream accumulator is :class:`modelverse_core.wire.chat.ChatAccumulator`, what it shares is
in :mod:`modelverse_core.wire.choices` and :mod:`modelverse_core.wire.common`. Kept for one
release: each name warns and answers from its new home.
"""

from ._deprecated import moved

__getattr__ = moved(
    __name__,
    {
        "StreamAccumulator": "modelverse_core.wire.chat:ChatAccumulator",
        "StreamMeta": "modelverse_core.wire.choices",
        "ToolCallParts": "modelverse_core.wire.common",
        "TextParts": "modelverse_core.wire.common",
        "joined": "modelverse_core.wire.common",
        "usage_increment": "modelverse_core.types",
    },
)
