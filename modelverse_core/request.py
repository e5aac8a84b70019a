"""Deprecated: this module's names moved.

Chat's request encoding is :mod:`modelverse_core.wire.chat`, the checks are
:mod:`modelverse_core.pipeline`, body encoding is :mod:`modelverse_core.jsonio`. Kept for one
release: each name warns and answers from its new home.
"""

from ._deprecated import moved

__getattr__ = moved(
    __name__,
    {
        "build_request": "modelverse_core.pipeline",
        "check_request": "modelverse_core.pipeline",
        "REASONING_POLICIES": "modelverse_core.pipeline",
        "encode_message": "modelverse_core.wire.chat",
        "encode_part": "modelverse_core.wire.chat",
        "encode_tool": "modelverse_core.wire.chat",
        "encode_tool_choice": "modelverse_core.wire.chat",
        "encode_response_format": "modelverse_core.wire.chat",
        "encode_params": "modelverse_core.wire.common",
        "finish_body": "modelverse_core.wire.common",
        "encode_body": "modelverse_core.jsonio",
    },
)
