"""The tiny GGUF: what the generator writes reads back, and its wiring follows the script.

A numpy forward pass of the same architecture (RMS norm, one attention head with NEOX rotary
embeddings, a SwiGLU feed-forward layer, the output head) checks the script without
llama.cpp; the real-server tests check it through llama-server.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.real import tiny_model

gguf = pytest.importorskip("gguf")


def test_written_model_reads_back(tmp_path: Path) -> None:
    path = tiny_model.write(tmp_path / "tiny.gguf")
    reader = gguf.GGUFReader(str(path))
    fields = reader.fields
    assert fields["general.architecture"].contents() == "qwen2"
    assert fields["qwen2.embedding_length"].contents() == tiny_model.N_EMBD
    assert fields["qwen2.block_count"].contents() == 1
    assert fields["tokenizer.ggml.model"].contents() == "gpt2"
    tokens, types = tiny_model.vocabulary()
    assert fields["tokenizer.ggml.tokens"].contents() == tokens
    assert fields["tokenizer.ggml.token_type"].contents() == types
    assert fields["tokenizer.ggml.eos_token_id"].contents() == tokens.index("<|im_end|>")
    written = {t.name: t for t in reader.tensors}
    expected = tiny_model.weights()
    assert set(written) == set(expected)
    for name, array in expected.items():
        assert tuple(reversed(written[name].shape.tolist())) == array.shape, name
        assert np.array_equal(np.asarray(written[name].data).reshape(array.shape), array), name
    assert path.stat().st_size < 512 * 1024


def test_vocabulary_is_byte_level_with_unique_tokens() -> None:
    tokens, _ = tiny_model.vocabulary()
    symbols = tiny_model.byte_symbols()
    assert len(set(symbols)) == 256 and tokens[:256] == symbols
    assert len(set(tokens)) == len(tokens)
    assert {"<|im_start|>", "<|im_end|>", "<think>", "</think>", "<tool_call>", "<tool_response>"} <= set(tokens)


def _rms(x: np.ndarray) -> np.ndarray:
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-6)


def _rope(x: np.ndarray) -> np.ndarray:
    half = x.shape[-1] // 2
    angles = np.arange(len(x))[:, None] * tiny_model.ROPE_BASE ** (-np.arange(half) * 2 / x.shape[-1])[None, :]
    cos, sin = np.cos(angles), np.sin(angles)
    first, second = x[:, :half], x[:, half:]
    return np.concatenate([first * cos - second * sin, first * sin + second * cos], -1)


def _next_token(weights: dict[str, np.ndarray], ids: list[int]) -> int:
    x = weights["token_embd.weight"][ids]
    h = _rms(x)
    q = _rope(h @ weights["blk.0.attn_q.weight"].T + weights["blk.0.attn_q.bias"])
    k = _rope(h @ weights["blk.0.attn_k.weight"].T + weights["blk.0.attn_k.bias"])
    v = h @ weights["blk.0.attn_v.weight"].T + weights["blk.0.attn_v.bias"]
    scores = q[-1] @ k.T / np.sqrt(tiny_model.N_EMBD)
    attention = np.exp(scores - scores.max())
    attention /= attention.sum()
    last = x[-1] + (attention @ v) @ weights["blk.0.attn_output.weight"].T
    h = _rms(last)
    gate = weights["blk.0.ffn_gate.weight"] @ h
    last = last + weights["blk.0.ffn_down.weight"] @ (gate / (1 + np.exp(-gate)) * (weights["blk.0.ffn_up.weight"] @ h))
    return int(np.argmax(weights["output.weight"] @ _rms(last)))


def _generate(prompt: list[str]) -> list[str]:
    tokens, _ = tiny_model.vocabulary()
    index = {text: i for i, text in enumerate(tokens)}
    symbols = tiny_model.byte_symbols()
    ids = [index[t] if t in index else index[symbols[ord(t)]] for t in prompt]
    weights = tiny_model.weights()
    out: list[str] = []
    while not out or out[-1] != "<|im_end|>":
        assert len(out) < 10, out
        ids.append(_next_token(weights, ids))
        out.append(tokens[ids[-1]])
    return out


FILLER = ["<|im_start|>", *"user", "\n", *"Is it warm in Paris today? " * 20, "<|im_end|>", "\n"]
ASSISTANT = ["<|im_start|>", *"assistant", "\n"]
THINK = ["<think>", tiny_model.REASONING, "</think>"]
CALL = ["<tool_call>", tiny_model.TOOL_ARGS_TOKEN, "</tool_call>"]


@pytest.mark.parametrize(
    ("prompt", "script"),
    [
        pytest.param([*FILLER, *ASSISTANT], [*THINK, *tiny_model.GREETING], id="plain"),
        pytest.param(["<tools>", *FILLER, *ASSISTANT], [*THINK, *CALL], id="tools"),
        pytest.param(
            ["<tools>", *FILLER, "<tool_response>", *ASSISTANT], [*THINK, *tiny_model.ANSWER], id="tool-result"
        ),
    ],
)
def test_wiring_follows_the_script(prompt: list[str], script: list[str]) -> None:
    assert _generate(prompt) == [*script, "<|im_end|>"]


@pytest.mark.parametrize("trigger", [[], ["<tools>"], ["<tools>", "<tool_response>"]])
def test_off_script_the_flags_stay_silent_and_punctuation_leads(trigger: list[str]) -> None:
    # Where a grammar forbids the script's token, nothing may pull the output back to a
    # branch's first token (a required call of another tool once looped on <tool_call>).
    tokens, _ = tiny_model.vocabulary()
    weights = tiny_model.weights()
    index = {text: i for i, text in enumerate(tokens)}
    symbols = tiny_model.byte_symbols()
    ids = [index[t] if t in index else index[symbols[ord(t)]] for t in [*trigger, *FILLER, *"x"]]
    assert tokens[_next_token(weights, ids)] == '"'
