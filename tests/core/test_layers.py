"""The layout holds: the core imports no framework, the plugins no wire module, the wires not each other, no cycles."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = "modelverse_core"
PLUGINS = ("langchain_modelverse", "llamaindex_modelverse")
WIRE_SHARED = {f"{CORE}.wire.base", f"{CORE}.wire.common", f"{CORE}.wire.choices"}
DEPRECATED = {f"{CORE}.{name}" for name in ("request", "response", "stream", "history", "coerce")}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> set[str]:
    """The modules ``path`` imports when it is loaded (``TYPE_CHECKING`` blocks and function bodies left out)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if is_module(f"{base}.{alias.name}")}
    return found


def is_module(name: str) -> bool:
    path = ROOT / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def sources(package: str) -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / package).rglob("*.py"))}


def test_the_core_imports_no_framework() -> None:
    for name, path in sources(CORE).items():
        roots = {m.split(".")[0] for m in runtime_imports(path)}
        frameworks = roots & {"langchain_core", "langchain", "langgraph", "llama_index"}
        assert not frameworks, f"{name} imports {frameworks}"


@pytest.mark.parametrize("plugin", PLUGINS)
def test_plugins_use_no_wire_module_and_no_old_name(plugin: str) -> None:
    for name, path in sources(plugin).items():
        core = {m for m in runtime_imports(path) if m.startswith(CORE)}
        wires = {m for m in core if m.startswith(f"{CORE}.wire")}
        assert not wires, f"{name} imports a wire module: {wires}"
        assert not core & DEPRECATED, f"{name} imports an old module: {core & DEPRECATED}"


def test_a_wire_module_imports_no_other_wire_and_nothing_above_the_wires() -> None:
    above = {f"{CORE}.{name}" for name in ("pipeline", "options", "params", "client", "call")}
    wires = {name: path for name, path in sources(CORE).items() if name.startswith(f"{CORE}.wire.")}
    for name, path in wires.items():
        imported = runtime_imports(path)
        others = {m for m in imported if m in wires and m != name and m not in WIRE_SHARED}
        assert not others, f"{name} imports {others}"
        assert not imported & above, f"{name} imports {imported & above}"


def test_the_core_has_no_import_cycle() -> None:
    modules = sources(CORE)
    graph = {name: {m for m in runtime_imports(path) if m in modules and m != name} for name, path in modules.items()}
    for package in [name for name in modules if (ROOT / name.replace(".", "/") / "__init__.py").exists()]:
        for name in graph:  # a module imports its package first: that edge is Python's, not a cycle of ours
            graph[name].discard(package)
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import cycle: {' -> '.join((*path, name))}"
        if name in done:
            return
        for imported in graph[name]:
            visit(imported, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())


OLD_NAMES = [
    ("modelverse_core", "ChatResult", "modelverse_core.types", "Result"),
    ("modelverse_core", "ChatStream", "modelverse_core.client", "Stream"),
    ("modelverse_core", "AsyncChatStream", "modelverse_core.client", "AsyncStream"),
    ("modelverse_core", "StreamAccumulator", "modelverse_core.wire.chat", "ChatAccumulator"),
    ("modelverse_core.request", "encode_params", "modelverse_core.wire.common", "encode_params"),
    ("modelverse_core.response", "parse_usage", "modelverse_core.wire.choices", "parse_usage"),
    ("modelverse_core.stream", "usage_increment", "modelverse_core.types", "usage_increment"),
    ("modelverse_core.history", "merge_role_runs", "modelverse_core.pipeline", "merge_role_runs"),
    ("modelverse_core.coerce", "tool_choice_from", "modelverse_core.options", "tool_choice_from"),
    (
        "modelverse_core.wire.responses",
        "build_responses_request",
        "modelverse_core.pipeline",
        "build_responses_request",
    ),
]


@pytest.mark.parametrize(("old_module", "old", "new_module", "new"), OLD_NAMES)
def test_an_old_name_warns_and_gives_the_new_object(old_module: str, old: str, new_module: str, new: str) -> None:
    import importlib

    with pytest.warns(DeprecationWarning, match=rf"{old_module}\.{old} is deprecated .* use {new_module}\.{new}"):
        value = getattr(importlib.import_module(old_module), old)
    assert value is getattr(importlib.import_module(new_module), new)


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    import modelverse_core

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
            modelverse_core.nothing_here  # noqa: B018
