"""Deprecated: this module's names moved.

Chat's parser is :mod:`modelverse_core.wire.chat`, what it shares is in
:mod:`modelverse_core.wire.choices` and :mod:`modelverse_core.wire.common`. Kept for one release:
each name warns and answers from its new home.
"""

from ._deprecated import moved

__getattr__ = moved(
    __name__,
    {
        "parse_response": "modelverse_core.wire.chat",
        "parse_choice": "modelverse_core.wire.chat",
        "parse_tool_call": "modelverse_core.wire.chat",
        "reasoning_field": "modelverse_core.wire.chat",
        "parse_usage": "modelverse_core.wire.choices",
        "parse_search_results": "modelverse_core.wire.choices",
        "response_id": "modelverse_core.wire.common",
        "new_tool_call_id": "modelverse_core.wire.common",
        "usable_tool_call_id": "modelverse_core.wire.common",
        "unique_tool_call_ids": "modelverse_core.wire.common",
        "parse_models": "modelverse_core.catalog",
    },
)
