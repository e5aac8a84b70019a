"""Generators of valid answers: content and reasoning cut anywhere, several tool calls, usage."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from tests.properties.answers import Answer, Call

# Text that exercises the think-tag splitting and whitespace handling: tags, pieces of tags, blanks.
PIECE = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["<", "<thi", "<think>", "</think>", "</thi", "nk>", " ", "\n", "  \n", "答", "😀"]),
)
SAFE = st.characters(blacklist_categories=("Cs",))
NAME = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True)


def pieces(text: st.SearchStrategy[str] = PIECE, max_size: int = 8) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(text, max_size=max_size).map(tuple)


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(SAFE, max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(SAFE, max_size=4), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def arguments(draw: st.DrawFn) -> tuple[str, ...]:
    """Arguments text cut into pieces: a JSON object usually, anything at times (kept as an invalid call)."""
    if draw(st.integers(0, 4)):
        text = json.dumps(draw(st.dictionaries(st.text(SAFE, max_size=5), JSON_VALUE, max_size=3)), ensure_ascii=False)
    else:
        text = draw(st.text(SAFE, max_size=10))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=4)))
    return tuple(text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True))


@st.composite
def calls(draw: st.DrawFn) -> tuple[Call, ...]:
    count = draw(st.integers(0, 3))
    names = draw(st.lists(NAME, min_size=count, max_size=count))
    return tuple(Call(f"call_{i}", name, draw(arguments())) for i, name in enumerate(names))


USAGE = st.none() | st.tuples(st.integers(0, 10**6), st.integers(0, 10**6))


@st.composite
def answers(draw: st.DrawFn, endpoint: str) -> Answer:
    """A valid answer for ``endpoint``: completions carry text only."""
    content = draw(pieces())
    if endpoint == "completions":
        return Answer(content=content, usage=draw(USAGE))
    return Answer(content=content, reasoning=draw(pieces(st.text(max_size=8))), calls=draw(calls()), usage=draw(USAGE))
