"""The model catalog: what each documented model can do.

Maximum output lengths come from the vendor documents (16384 for the DeepSeek
models). Context windows are not documented per model; the figures here are
the published context windows of the underlying open models, and a caller can
override any entry. Unknown ids get conservative defaults that never block a
request the server might accept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from . import shape
from .types import RemoteModel

StructuredMethod = Literal["json_schema", "function_calling", "json_mode"]


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Capabilities of one model.

    ``max_output_tokens`` of ``None`` means the limit is unknown and is not
    checked client-side. ``vision`` of ``None`` means unknown: images are sent
    and the server decides. ``alternating_roles`` marks the models documented with
    strict user/assistant alternation: runs of same-role messages are merged before
    sending. ``accepts_forced_tool_choice`` overrides :attr:`forced_tool_choice` (``None``:
    thinking models do not).
    """

    id: str
    context_window: int = 32768
    max_output_tokens: int | None = None
    reasoning: bool = False
    tool_calling: bool = True
    vision: bool | None = None
    json_mode: bool = True
    json_schema: bool = False
    alternating_roles: bool = False
    known: bool = True
    accepts_forced_tool_choice: bool | None = None

    @property
    def structured_output_methods(self) -> tuple[StructuredMethod, ...]:
        """The structured-output methods this model serves, best first."""
        methods: list[StructuredMethod] = []
        if self.json_schema:
            methods.append("json_schema")
        if self.tool_calling:
            methods.append("function_calling")
        if self.json_mode:
            methods.append("json_mode")
        return tuple(methods)

    @property
    def forced_tool_choice(self) -> bool | None:
        """Whether the model takes a forced ``tool_choice`` (a named tool, or ``required``).

        ``False`` for thinking models: DeepSeek's thinking mode refuses a forced choice (HTTP 400,
        "deepseek-reasoner does not support this tool_choice"), and servers that follow it do the
        same, so structured output through a tool sends ``auto`` to them. ``None`` for an id the
        catalog does not know: it may be a thinking model (see :mod:`modelverse_core.structured`).
        ``accepts_forced_tool_choice``, when set, says it for the deployment instead (vLLM, for
        one, takes a forced choice from a thinking model).
        """
        if self.accepts_forced_tool_choice is not None:
            return self.accepts_forced_tool_choice
        return not self.reasoning if self.known else None

    @property
    def default_structured_method(self) -> StructuredMethod:
        """The method ``with_structured_output`` uses when none is given."""
        methods = self.structured_output_methods
        return methods[0] if methods else "json_mode"


def _entry(id: str, context: int, output: int | None, **caps: bool | None) -> ModelInfo:
    return ModelInfo(id=id, context_window=context, max_output_tokens=output, **caps)  # type: ignore[arg-type]


_TEXT = {"vision": False}
_REASONER = {"reasoning": True, "vision": False}
# The DeepSeek API documents (001, 002, 004) require strict user/assistant alternation.
_DEEPSEEK_TEXT = {**_TEXT, "alternating_roles": True}
_DEEPSEEK_REASONER = {**_REASONER, "alternating_roles": True}

_MODELS: tuple[ModelInfo, ...] = (
    _entry("deepseek-ai/DeepSeek-R1", 131072, 16384, **_DEEPSEEK_REASONER),
    _entry("deepseek-ai/DeepSeek-V3-0324", 131072, 16384, **_DEEPSEEK_TEXT),
    _entry("deepseek-ai/DeepSeek-Prover-V2-671B", 131072, 16384, tool_calling=False, **_DEEPSEEK_TEXT),
    _entry("Qwen/QwQ-32B", 131072, 16384, **_REASONER),
    _entry("Qwen/Qwen3-235B-A22B", 131072, 16384, **_REASONER),
    _entry("gpt-5", 400000, 128000, reasoning=True, vision=True, json_schema=True),
    _entry("gemini-2.5-pro", 1048576, 65536, reasoning=True, vision=True, json_schema=True),
    _entry("DeepSeek-Reasoner", 131072, 16384, **_DEEPSEEK_REASONER),
    _entry("DeepSeek-Chat", 131072, 16384, **_DEEPSEEK_TEXT),
    _entry("deepseek-r1", 131072, 16384, **_DEEPSEEK_REASONER),
    _entry("DeepSeek-R1-Distill-Qwen-32B", 131072, None, tool_calling=False, **_REASONER),
    _entry("QwQ-32B", 131072, None, **_REASONER),
    _entry("ChatGLM4-9B", 131072, None, **_TEXT),
    _entry("Qwen2-72B", 131072, None, **_TEXT),
    _entry("MiniCPM-V", 8192, None, tool_calling=False, vision=True),
)


class ModelCatalog:
    """Looks up :class:`ModelInfo` by model id, case-insensitively.

    An SFT deployment id ``model:modelversionID`` resolves to its base model.
    """

    def __init__(self, models: tuple[ModelInfo, ...] = _MODELS) -> None:
        self._models = {m.id.lower(): m for m in models}

    def get(self, model: str) -> ModelInfo:
        """The entry for ``model``, or conservative defaults for an unknown id."""
        base = split_model_version(model)[0]
        found = self._models.get(base.lower())
        if found is None:
            return ModelInfo(id=model, known=False)
        return found if found.id == model else replace(found, id=model)

    def register(self, info: ModelInfo) -> None:
        """Add or replace an entry (for private deployments and new models)."""
        self._models[info.id.lower()] = info

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._models.values())


def split_model_version(model: str) -> tuple[str, str | None]:
    """Split ``model:modelversionID`` into the model and its SFT version."""
    name, sep, version = model.partition(":")
    return (name, version) if sep and version else (model, None)


CATALOG = ModelCatalog()
"""The process-wide catalog; :meth:`ModelCatalog.register` extends it."""


def model_info(model: str, override: ModelInfo | None = None) -> ModelInfo:
    """The capabilities of ``model``: ``override`` if given, else the catalog's."""
    return override if override is not None else CATALOG.get(model)


def parse_models(body: Mapping[str, Any]) -> list[RemoteModel]:
    """Parse the ``GET /v1/models`` list."""
    return [
        RemoteModel(id=str(item.get("id")), created=item.get("created"), owned_by=item.get("owned_by"))
        for item in shape.array(body.get("data"), "data")
        if isinstance(item, Mapping) and item.get("id")
    ]
