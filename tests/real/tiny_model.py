"""A tiny qwen2 GGUF with hand-wired weights, for the tests against llama.cpp's llama-server.

The model is one transformer block over a 64-wide residual stream. It follows a script
instead of producing random text, so every run on every machine answers the same:

- a plain prompt: ``<think>REASONING</think>GREETING`` (reasoning, then an answer);
- tools offered (``<tools>`` is in the prompt): ``<think>REASONING</think>`` and then a call
  of ``get_weather`` with ``{"city": "Paris"}``;
- a tool result in the prompt (``<tool_response>``): ``<think>REASONING</think>ANSWER``.

How: the token embedding is a one-hot identity (plus a constant dimension); the output head
maps each token to the next one (a bigram table). One attention head with a constant query
looks for ``<tools>`` and ``<tool_response>`` anywhere in the context (its query and keys sit
in the rotary pair with the lowest frequency, where the rotation is negligible) and writes a
flag. The feed-forward layer ANDs each flag with "the token is ``</think>``" (a SwiGLU unit
whose gate opens only on that token), and only there do the flags outvote the default
continuation. Under a grammar (JSON mode, a required tool call), tokens the script wants may
be forbidden; then small constant biases rank the JSON punctuation above whitespace so that
the output stays short and ends.

The vocabulary is byte-level BPE (the 256 GPT-2 byte symbols, one merge), Qwen's control
tokens, and the script's phrases as user-defined tokens.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ARCH = "qwen2"
N_EMBD = 64
N_FF = 64
CONTEXT = 4096
ROPE_BASE = 1_000_000.0

TOOL_NAME = "get_weather"
TOOL_ARGUMENTS = {"city": "Paris"}
REASONING = "The user needs an answer."
GREETING = ("Hello!", " How can I help?")
ANSWER = ("It is sunny", " in Paris.")

CONTROL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
TOOL_ARGS_TOKEN = '\n{"name": "' + TOOL_NAME + '", "arguments": {"city": "Paris"}}\n'
USER_DEFINED = [
    "<think>",
    "</think>",
    "<tool_call>",
    "</tool_call>",
    "<tools>",
    "</tools>",
    "<tool_response>",
    "</tool_response>",
    REASONING,
    *GREETING,
    *ANSWER,
    TOOL_ARGS_TOKEN,
]
MERGES = ["Ġ Ġ"]

# The scripted continuation of each token (the bigram table).
SCRIPT = {
    "\n": "<think>",
    "<think>": REASONING,
    REASONING: "</think>",
    GREETING[0]: GREETING[1],
    GREETING[1]: "<|im_end|>",
    "<tool_call>": TOOL_ARGS_TOKEN,
    TOOL_ARGS_TOKEN: "</tool_call>",
    "</tool_call>": "<|im_end|>",
    ANSWER[0]: ANSWER[1],
    ANSWER[1]: "<|im_end|>",
}
# Second choices, for when a grammar forbids the script's token: llama.cpp's grammar for a
# required call of another tool wants "<tool_call>\n" and then that tool's JSON.
SECOND_CHOICE = {"<tool_call>": "\n"}
BRANCH = "</think>"
# Logit margins (before the final RMS norm rescales them by roughly 5).
SCRIPT_LOGIT = 20.0
SECOND_CHOICE_LOGIT = 10.0
DEFAULT_LOGIT = 4.0  # </think> -> GREETING[0] without flags
TOOLS_LOGIT = 8.0  # the <tools> flag votes for <tool_call>
RESULT_LOGIT = 12.0  # the <tool_response> flag votes for ANSWER[0]
# Under a grammar: the ranking of what is left when the script's token is forbidden.
PUNCTUATION_BIAS = {
    '"': 1.0,
    "}": 0.8,
    "]": 0.7,
    ":": 0.6,
    "</tool_call>": 0.5,
    "{": 0.4,
    "<|im_end|>": 0.3,
    ",": 0.2,
}
# Attention scores of the triggers; the tool result outweighs the tool list.
TRIGGER_SCORES = {"<tools>": 20.0, "<tool_response>": 40.0}

CONST, FLAG_TOOLS, FLAG_RESULT, BRANCH_TOOLS, BRANCH_RESULT = range(5)
FIRST_IDENTITY = 5
GATE = 4.0  # the branch gate's pre-activation is about +-GATE * 2.3: silu is then ~x or ~0
QK_DIM = N_EMBD // 2 - 1  # the rotary pair (31, 63) turns by pos * base**(-62/64): negligible


def byte_symbols() -> list[str]:
    """GPT-2's printable stand-ins for the 256 byte values, in byte order."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    extra = iter(range(256, 512))
    return [chr(b) if b in printable else chr(next(extra)) for b in range(256)]


def vocabulary() -> tuple[list[str], list[int]]:
    """Token texts and gguf token types, in id order."""
    from gguf import TokenType

    symbols = byte_symbols()
    tokens = [*symbols, "ĠĠ", *CONTROL, *USER_DEFINED]
    types = [TokenType.NORMAL] * (len(symbols) + 1) + [TokenType.CONTROL] * len(CONTROL)
    types += [TokenType.USER_DEFINED] * len(USER_DEFINED)
    return tokens, [int(t) for t in types]


def _ids() -> dict[str, int]:
    """Token ids by text, with the newline byte under its plain text."""
    tokens, _ = vocabulary()
    ids = {text: index for index, text in enumerate(tokens)}
    ids["\n"] = ids[byte_symbols()[ord("\n")]]
    for char in PUNCTUATION_BIAS:
        if len(char) == 1:
            ids[char] = ids[byte_symbols()[ord(char)]]
    return ids


def weights() -> dict[str, np.ndarray]:
    """Every tensor of the model, numpy-shaped (out, in) as llama.cpp's converter writes them."""
    ids = _ids()
    n_vocab = len(vocabulary()[0])
    named = sorted({*SCRIPT, *SCRIPT.values(), BRANCH, *TRIGGER_SCORES} - {"<|im_end|>"}, key=ids.__getitem__)
    identity = {text: FIRST_IDENTITY + index for index, text in enumerate(named)}
    assert FIRST_IDENTITY + len(identity) <= QK_DIM, "identity dimensions overlap the attention's rotary pair"
    # A token with an identity has two unit entries; RMS norm scales each to sqrt(N_EMBD / 2).
    scale = float(np.sqrt(N_EMBD / 2))
    # At </think> with a flag set: three unit entries, each scaled to sqrt(N_EMBD / 3).
    flagged = float(np.sqrt(N_EMBD / 3))

    embed = np.zeros((n_vocab, N_EMBD), np.float32)
    embed[:, CONST] = 1.0
    for text, dim in identity.items():
        embed[ids[text], dim] = 1.0

    q_bias = np.zeros(N_EMBD, np.float32)
    q_bias[QK_DIM] = np.sqrt(N_EMBD)  # scores = key / sqrt(head_dim) * sqrt(head_dim)
    key = np.zeros((N_EMBD, N_EMBD), np.float32)
    value = np.zeros((N_EMBD, N_EMBD), np.float32)
    for slot, (text, score) in enumerate(TRIGGER_SCORES.items()):
        key[QK_DIM, identity[text]] = score / scale
        value[slot, identity[text]] = 1.0 / scale
    attn_out = np.zeros((N_EMBD, N_EMBD), np.float32)
    attn_out[FLAG_TOOLS, 0] = 1.0
    attn_out[FLAG_RESULT, 1] = 1.0

    # Hidden unit i: gate = GATE * (identity(</think>) - const / 2), positive only at </think>;
    # up = flag i; down writes the product (about 2 * flagged**2 at a flag of 1) as branch i.
    gate = np.zeros((N_FF, N_EMBD), np.float32)
    up = np.zeros((N_FF, N_EMBD), np.float32)
    down = np.zeros((N_EMBD, N_FF), np.float32)
    for unit, (flag, branch) in enumerate([(FLAG_TOOLS, BRANCH_TOOLS), (FLAG_RESULT, BRANCH_RESULT)]):
        gate[unit, identity[BRANCH]] = GATE
        gate[unit, CONST] = -GATE / 2
        up[unit, flag] = 1.0
        down[branch, unit] = 1.0 / (GATE / 2 * flagged * flagged)

    out = np.zeros((n_vocab, N_EMBD), np.float32)
    for text, following in SCRIPT.items():
        out[ids[following], identity[text]] = SCRIPT_LOGIT / 5
    for text, following in SECOND_CHOICE.items():
        out[ids[following], identity[text]] = SECOND_CHOICE_LOGIT / 5
    out[ids[GREETING[0]], identity[BRANCH]] = DEFAULT_LOGIT / 5
    out[ids["<tool_call>"], BRANCH_TOOLS] = TOOLS_LOGIT / 5
    out[ids[ANSWER[0]], BRANCH_RESULT] = RESULT_LOGIT / 5
    for text, bias in PUNCTUATION_BIAS.items():
        out[ids[text], CONST] = bias / 5

    ones = np.ones(N_EMBD, np.float32)
    return {
        "token_embd.weight": embed,
        "output_norm.weight": ones,
        "output.weight": out,
        "blk.0.attn_norm.weight": ones,
        "blk.0.attn_q.weight": np.zeros((N_EMBD, N_EMBD), np.float32),
        "blk.0.attn_q.bias": q_bias,
        "blk.0.attn_k.weight": key,
        "blk.0.attn_k.bias": np.zeros(N_EMBD, np.float32),
        "blk.0.attn_v.weight": value,
        "blk.0.attn_v.bias": np.zeros(N_EMBD, np.float32),
        "blk.0.attn_output.weight": attn_out,
        "blk.0.ffn_norm.weight": ones,
        "blk.0.ffn_gate.weight": gate,
        "blk.0.ffn_up.weight": up,
        "blk.0.ffn_down.weight": down,
    }


def write(path: Path, name: str = "tiny-qwen") -> Path:
    """Write the model to ``path`` and return it."""
    import gguf

    tokens, types = vocabulary()
    ids = _ids()
    writer = gguf.GGUFWriter(str(path), ARCH)
    writer.add_name(name)
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(N_EMBD)
    writer.add_block_count(1)
    writer.add_feed_forward_length(N_FF)
    writer.add_head_count(1)
    writer.add_head_count_kv(1)
    writer.add_rope_freq_base(ROPE_BASE)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(MERGES)
    writer.add_bos_token_id(ids["<|endoftext|>"])
    writer.add_eos_token_id(ids["<|im_end|>"])
    writer.add_pad_token_id(ids["<|endoftext|>"])
    writer.add_add_bos_token(False)
    for tensor_name, array in weights().items():
        writer.add_tensor(tensor_name, array)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1] if len(sys.argv) > 1 else "tiny-qwen.gguf")))
