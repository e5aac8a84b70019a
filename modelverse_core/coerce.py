"""Deprecated: OpenAI-shaped values become core types in :mod:`modelverse_core.options`.

Kept for one release: each name warns and answers from its new home.
"""

from ._deprecated import moved

__getattr__ = moved(
    __name__,
    {
        "tool_spec_from_openai": "modelverse_core.options",
        "tool_choice_from": "modelverse_core.options",
        "response_format_from": "modelverse_core.options",
    },
)
