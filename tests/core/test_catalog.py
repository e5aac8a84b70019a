from __future__ import annotations

from modelverse_core import CATALOG, ModelCatalog, ModelInfo, split_model_version


def test_documented_models_are_known() -> None:
    r1 = CATALOG.get("deepseek-ai/DeepSeek-R1")
    assert r1.known and r1.reasoning and r1.max_output_tokens == 16384 and r1.vision is False
    assert CATALOG.get("DEEPSEEK-R1").reasoning  # case-insensitive
    assert CATALOG.get("MiniCPM-V").vision is True
    assert CATALOG.get("deepseek-ai/DeepSeek-V3-0324").reasoning is False


def test_unknown_models_get_defaults_that_block_nothing() -> None:
    info = CATALOG.get("acme/brand-new")
    assert not info.known and info.max_output_tokens is None and info.vision is None and info.tool_calling


def test_sft_ids_resolve_to_their_base_model() -> None:
    assert split_model_version("Qwen/Qwen3-235B-A22B:mv-1") == ("Qwen/Qwen3-235B-A22B", "mv-1")
    assert split_model_version("plain") == ("plain", None)
    info = CATALOG.get("Qwen/Qwen3-235B-A22B:mv-1")
    assert info.reasoning and info.id == "Qwen/Qwen3-235B-A22B:mv-1"


def test_register_and_structured_methods() -> None:
    catalog = ModelCatalog()
    catalog.register(ModelInfo(id="acme/vision", vision=True, json_schema=True))
    info = catalog.get("acme/vision")
    assert info.vision and info.structured_output_methods == ("json_schema", "function_calling", "json_mode")
    assert CATALOG.get("deepseek-ai/DeepSeek-R1").default_structured_method == "function_calling"
    assert CATALOG.get("DeepSeek-R1-Distill-Qwen-32B").default_structured_method == "json_mode"
