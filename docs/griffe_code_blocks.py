"""A griffe extension for the API reference: reST ``.. code-block::`` directives become Markdown fences.

The docstrings follow LangChain's convention (an ``Example:`` section holding a
``.. code-block:: python`` directive), which mkdocstrings would otherwise print as text.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from griffe import Extension, Object

_DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)\.\. code-block::[ \t]*(?P<lang>\w*)[ \t]*\n[ \t]*\n"
    r"(?P<body>(?:(?P=indent)[ \t]+\S.*\n|[ \t]*\n)+)",
    re.MULTILINE,
)


def _fence(match: re.Match[str]) -> str:
    indent, lang = match["indent"], match["lang"]
    body = textwrap.indent(textwrap.dedent(match["body"]).strip("\n"), indent)
    return f"{indent}```{lang}\n{body}\n{indent}```\n\n"


class CodeBlocks(Extension):
    """Rewrites every ``.. code-block::`` directive of a docstring as a fenced code block."""

    def on_instance(self, *, obj: Object, **kwargs: Any) -> None:
        """Rewrite the directives of ``obj``'s docstring, if it has any."""
        if obj.docstring is not None and ".. code-block::" in obj.docstring.value:
            obj.docstring.value = _DIRECTIVE.sub(_fence, obj.docstring.value + "\n").rstrip("\n")
