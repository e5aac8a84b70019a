"""Every Python block of README.md and docs/**/*.md runs, each on its own cassette.

A page's blocks run in order in one namespace, as a reader runs them: a later block may use
the names an earlier one defined. Block ``n`` of a page (counting every ``python`` block,
1-based) replays ``cassettes/docs/<page>/block-<n>.yaml``, ``<page>`` relative to ``docs/``
(or ``README``); a block that sends nothing has none. A block directly under a line
``<!-- not-run: <reason> -->`` is skipped. Blocks may use ``await`` at top level: such a
block runs in its own ``asyncio.run``.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import vcr

from modelverse_core import CATALOG
from modelverse_core.settings import BASE_URL_ENV
from tests.cassette_config import CASSETTES, ROOT, json_body_matcher, vcr_options

pytestmark = pytest.mark.once  # the docs against the code; the SDK's major version changes nothing here

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
DOCS_CASSETTES = CASSETTES / "docs"

_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<info>[^`\s]*)\s*$")
_NOT_RUN = re.compile(r"^\s*<!--\s*not-run(?::(?P<reason>.*?))?\s*-->\s*$")
_INCLUDE = re.compile(r'^--8<--\s+"(?P<path>[^"]+)"\s*$')
_OTHER_PYTHON_NAMES = {"py", "python3", "py3", "pycon", "ipython"}
"""Other names of Python fences, which would escape the test: refused."""


@dataclass(frozen=True)
class Block:
    """One ``python`` block of a page."""

    page: Path
    number: int  # among the page's python blocks, from 1
    line: int  # of the opening fence, from 1
    source: str
    not_run: str | None  # the reason, when marked

    @property
    def cassette(self) -> Path:
        docs = ROOT / "docs"
        page = self.page.relative_to(docs if self.page.is_relative_to(docs) else ROOT)
        return DOCS_CASSETTES / page.with_suffix("") / f"block-{self.number:02d}.yaml"


def page_lines(page: Path) -> list[str]:
    """The page's lines, with the files it includes (``--8<-- "path"``, paths from the root) inlined."""
    lines: list[str] = []
    for line in page.read_text(encoding="utf-8").splitlines():
        include = _INCLUDE.match(line)
        lines.extend(page_lines(ROOT / include["path"]) if include else [line])
    return lines


def blocks(page: Path) -> list[Block]:
    """The page's ``python`` blocks, in order; a ``not-run`` marker without a reason is an error."""
    found: list[Block] = []
    lines = page_lines(page)
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence is None:
            _check_marker_placement(page, lines, index)
            index += 1
            continue
        end = _closing_fence(lines, index + 1, fence["indent"])
        assert fence["info"] not in _OTHER_PYTHON_NAMES, f"{_shown(page)}:{index + 1}: write ```python, which runs"
        if fence["info"] == "python":
            source = textwrap.dedent("\n".join(lines[index + 1 : end]))
            found.append(Block(page, len(found) + 1, index + 1, source, _marker(page, lines, index)))
        index = end + 1
    return found


def _closing_fence(lines: list[str], start: int, indent: str) -> int:
    for index in range(start, len(lines)):
        if lines[index].strip() == "```" and lines[index].startswith(indent):
            return index
    raise AssertionError(f"unclosed code fence before line {start}")


def _marker(page: Path, lines: list[str], fence: int) -> str | None:
    """The reason of a ``not-run`` marker on the line above the fence, if there is one."""
    above = _NOT_RUN.match(lines[fence - 1]) if fence else None
    if above is None:
        return None
    reason = (above["reason"] or "").strip()
    assert reason, f"{_shown(page)}:{fence}: a not-run marker must give its reason"
    return reason


def _check_marker_placement(page: Path, lines: list[str], index: int) -> None:
    """A ``not-run`` marker stands directly above a ``python`` block."""
    if _NOT_RUN.match(lines[index]) is None:
        return
    after = _FENCE.match(lines[index + 1]) if index + 1 < len(lines) else None
    assert after is not None and after["info"] == "python", (
        f"{_shown(page)}:{index + 1}: a not-run marker must stand directly above a python block"
    )


def _shown(page: Path) -> str:
    return str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else str(page)


def run(block: Block, namespace: dict[str, Any]) -> None:
    """Execute one block in the page's namespace; top-level ``await`` runs on a new event loop."""
    name = f"{block.page.relative_to(ROOT)}, block {block.number} (line {block.line})"
    code = compile(block.source, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    if code.co_flags & inspect.CO_COROUTINE:
        asyncio.run(eval(code, namespace))
    else:
        exec(code, namespace)


class Cassettes:
    """One cassette per block, in this session's record mode."""

    def __init__(self, record_mode: str) -> None:
        self.record_mode = record_mode
        self.recorder = vcr.VCR(**vcr_options(os.environ[BASE_URL_ENV]))
        self.recorder.register_matcher("json_body", json_body_matcher)

    def around(self, block: Block) -> Any:
        return self.recorder.use_cassette(str(block.cassette), record_mode=self.record_mode)


def _page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


@pytest.fixture
def cassettes(request: pytest.FixtureRequest) -> Cassettes:
    return Cassettes(request.config.getoption("--record-mode") or "none")


@pytest.fixture
def clean_environment() -> Iterator[None]:
    """A block may set environment variables or register catalog entries; neither outlives its page."""
    saved, models = dict(os.environ), dict(CATALOG._models)
    yield
    os.environ.clear()
    os.environ.update(saved)
    CATALOG._models.clear()
    CATALOG._models.update(models)


@pytest.mark.standin  # some blocks rely on the stand-in calling the tool it is offered on the first turn
@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_every_python_block_runs(page: Path, cassettes: Cassettes, clean_environment: None) -> None:
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    for block in blocks(page):
        if block.not_run is not None:
            continue
        with cassettes.around(block) as cassette:
            run(block, namespace)
        if cassettes.record_mode == "none":
            assert cassette.all_played, f"{block.cassette.relative_to(ROOT)} was only partly played"


def test_every_docs_cassette_belongs_to_a_block() -> None:
    expected = {block.cassette for page in PAGES for block in blocks(page) if block.not_run is None}
    stale = sorted(str(path.relative_to(ROOT)) for path in DOCS_CASSETTES.rglob("*.yaml") if path not in expected)
    assert not stale, f"cassettes of blocks that no longer exist: {stale}"


def test_markers_give_a_reason_stand_above_a_python_block_and_python_is_spelled_python(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("<!-- not-run: calls a private deployment -->\n```python\nraise SystemExit\n```\n")
    assert [block.not_run for block in blocks(page)] == ["calls a private deployment"]
    page.write_text("<!-- not-run -->\n```python\nraise SystemExit\n```\n")
    with pytest.raises(AssertionError, match="must give its reason"):
        blocks(page)
    page.write_text("<!-- not-run: calls a private deployment -->\n\n```python\nraise SystemExit\n```\n")
    with pytest.raises(AssertionError, match="directly above a python block"):
        blocks(page)
    page.write_text("```py\nraise SystemExit\n```\n")
    with pytest.raises(AssertionError, match="write ```python"):
        blocks(page)


def test_the_readmes_relative_links_resolve() -> None:
    """The docs build checks the site's links; the README is not part of it."""
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", (ROOT / "README.md").read_text(encoding="utf-8"))
    broken = [link for link in links if "://" not in link and not (ROOT / link).exists()]
    assert not broken, f"README links to files that do not exist: {broken}"
