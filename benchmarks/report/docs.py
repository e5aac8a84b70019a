"""Rewriting the generated part of a docs page: the text between two markers."""

from __future__ import annotations

from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def between_markers(text: str, generated: str) -> str:
    """``text`` with what lies between :data:`START` and :data:`END` replaced by ``generated``."""
    if START not in text or END not in text:
        raise ValueError(f"no {START} ... {END} markers")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{generated}\n{END}{tail}"


def rewrite(page: Path, generated: str) -> bool:
    """Put ``generated`` between the markers of ``page``; False (and nothing written) when it has none."""
    text = page.read_text() if page.exists() else ""
    if START not in text:
        return False
    page.write_text(between_markers(text, generated))
    return True
