"""A Transformer written as a CTranslate2 model folder, through its Python model-spec API.

The checkpoint is first put in fairseq's names and options (the model plugin's fairseq
adapter), then laid out as CTranslate2's own fairseq converter lays out a fairseq
Transformer: fused self-attention projections, fused key/value projections of the
encoder attention, position tables from the first non-padding position, the vocabularies
with ``<pad>`` as ``<blank>``, decoding started by ``</s>``. Needs ``pip install
ctranslate2``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import Tensor

from seqx.errors import SeqxError
from seqx.registry import Registry

ACTIVATIONS = {"relu": "RELU", "gelu": "GELU", "gelu_accurate": "GELUTanh", "gelu_fast": "GELUTanh"}
"""fairseq's activation names -> CTranslate2's."""

PADDING_IDX = 1
"""fairseq's padding index, below which position tables hold no position."""


def export_ctranslate2(
    state: dict[str, Any],
    registry: Registry,
    path: str,
    output: str,
    data: str | None = None,
    quantization: str | None = None,
) -> None:
    """Write the Transformer of checkpoint ``state`` (read from ``path``) as a CTranslate2
    model folder ``output``, its vocabularies from data folder ``data`` (default: the one
    it was trained on)."""
    try:
        from ctranslate2.specs import common_spec, transformer_spec
    except ImportError:
        raise SeqxError("--to ctranslate2 needs CTranslate2: pip install ctranslate2") from None
    import os

    from seqx.compat.fairseq.exports import export_state

    if os.path.exists(output):
        raise SeqxError(f"'{output}' exists; remove it or give another folder")
    if (state.get("config") or {}).get("model", {}).get("_name") != "transformer":
        raise SeqxError(f"'{path}' is not a Transformer; CTranslate2 export covers Transformers")
    fairseq = export_state(state, registry, path)
    opts, weights = vars(fairseq["args"]), fairseq["model"]
    _check(opts, path)
    spec = transformer_spec.TransformerSpec.from_config(
        (opts["encoder_layers"], opts["decoder_layers"]),
        opts["encoder_attention_heads"],
        pre_norm=opts["encoder_normalize_before"],
        activation=common_spec.Activation[ACTIVATIONS[opts["activation_fn"]]],
        layernorm_embedding=opts["layernorm_embedding"],
    )
    _fill_side(spec.encoder, weights, opts, "encoder")
    _fill_side(spec.decoder, weights, opts, "decoder")
    _linear(spec.decoder.projection, weights, "decoder.output_projection")
    src, tgt = _dictionaries(state, data or opts["data"], opts)
    spec.register_source_vocabulary(src)
    spec.register_target_vocabulary(tgt)
    spec.config.decoder_start_token = spec.config.eos_token
    spec.config.add_source_eos = True
    spec.validate()
    spec.optimize(quantization=quantization)
    _save(spec, output)


def _save(spec: Any, output: str) -> None:
    """Save into a new folder ``output``, whole or not at all."""
    import os
    import shutil

    staging = f"{output}.tmp-{os.getpid()}"
    os.makedirs(staging)
    try:
        spec.save(staging)
        os.rename(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check(opts: dict[str, Any], path: str) -> None:
    problems = []
    if opts["encoder_normalize_before"] != opts["decoder_normalize_before"]:
        problems.append("--encoder-normalize-before differs from --decoder-normalize-before")
    if opts["encoder_attention_heads"] != opts["decoder_attention_heads"]:
        problems.append("--encoder-attention-heads differs from --decoder-attention-heads")
    if opts["activation_fn"] not in ACTIVATIONS:
        problems.append(f"--activation-fn {opts['activation_fn']} has no CTranslate2 kernel")
    if opts["no_token_positional_embeddings"]:
        problems.append("--no-token-positional-embeddings")
    if opts["decoder_output_dim"] != opts["decoder_embed_dim"]:
        problems.append("--decoder-output-dim differs from --decoder-embed-dim")
    if problems:
        raise SeqxError(f"'{path}' cannot be written for CTranslate2: {'; '.join(problems)}")


def _array(t: Tensor) -> np.ndarray:
    return t.detach().float().cpu().numpy()


def _linear(spec: Any, weights: dict[str, Tensor], name: str) -> None:
    spec.weight = _array(weights[f"{name}.weight"])
    if f"{name}.bias" in weights:
        spec.bias = _array(weights[f"{name}.bias"])


def _norm(spec: Any, weights: dict[str, Tensor], name: str) -> None:
    spec.gamma = _array(weights[f"{name}.weight"])
    spec.beta = _array(weights[f"{name}.bias"])


def _fused(spec: Any, weights: dict[str, Tensor], names: list[str]) -> None:
    spec.weight = np.concatenate([_array(weights[f"{n}.weight"]) for n in names])
    spec.bias = np.concatenate([_array(weights[f"{n}.bias"]) for n in names])


def _fill_side(spec: Any, weights: dict[str, Tensor], opts: dict[str, Any], side: str) -> None:
    dim = weights[f"{side}.embed_tokens.weight"].shape[1]
    embeddings = spec.embeddings[0] if isinstance(spec.embeddings, list) else spec.embeddings
    embeddings.weight = _array(weights[f"{side}.embed_tokens.weight"])
    spec.scale_embeddings = 1.0 if opts["no_scale_embedding"] else math.sqrt(dim)
    learned = f"{side}.embed_positions.weight"
    if learned in weights:
        spec.position_encodings.encodings = _array(weights[learned])[PADDING_IDX + 1 :]
    else:
        limit = opts["max_source_positions" if side == "encoder" else "max_target_positions"]
        spec.position_encodings.encodings = _sinusoids(limit, dim)
    if f"{side}.layernorm_embedding.weight" in weights:
        _norm(spec.layernorm_embedding, weights, f"{side}.layernorm_embedding")
    if f"{side}.layer_norm.weight" in weights:
        _norm(spec.layer_norm, weights, f"{side}.layer_norm")
    for i, layer in enumerate(spec.layer):
        p = f"{side}.layers.{i}."
        a = p + "self_attn."
        _fused(layer.self_attention.linear[0], weights, [a + "q_proj", a + "k_proj", a + "v_proj"])
        _linear(layer.self_attention.linear[1], weights, a + "out_proj")
        _norm(layer.self_attention.layer_norm, weights, p + "self_attn_layer_norm")
        if side == "decoder":
            e = p + "encoder_attn."
            _linear(layer.attention.linear[0], weights, e + "q_proj")
            _fused(layer.attention.linear[1], weights, [e + "k_proj", e + "v_proj"])
            _linear(layer.attention.linear[2], weights, e + "out_proj")
            _norm(layer.attention.layer_norm, weights, p + "encoder_attn_layer_norm")
        _linear(layer.ffn.linear_0, weights, p + "fc1")
        _linear(layer.ffn.linear_1, weights, p + "fc2")
        _norm(layer.ffn.layer_norm, weights, p + "final_layer_norm")


def _sinusoids(max_positions: int, dim: int) -> np.ndarray:
    """fairseq's sinusoidal table from the first non-padding position on."""
    half = dim // 2
    scale = math.log(10000) / (half - 1)
    freqs = torch.exp(torch.arange(half, dtype=torch.float) * -scale)
    rows = max_positions + PADDING_IDX + 1
    angles = torch.arange(rows, dtype=torch.float).unsqueeze(1) * freqs.unsqueeze(0)
    table = torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)
    if dim % 2 == 1:
        table = torch.cat([table, torch.zeros(rows, 1)], dim=1)
    return _array(table)[PADDING_IDX + 1 :]


def _dictionaries(state: dict[str, Any], data: str, opts: dict[str, Any]) -> tuple[list[str], ...]:
    from seqx.data.folder import data_paths, load_dictionary

    try:
        folder = data_paths(data)[0]
    except SeqxError:
        raise SeqxError(
            f"CTranslate2 needs the vocabularies, and the data folder '{data}' the model was "
            "trained on is not here: give it with --data"
        ) from None
    out = []
    recorded = state.get("dictionaries") or {}
    for role, lang in (("source", opts["source_lang"]), ("target", opts["target_lang"])):
        try:
            d = load_dictionary(folder, lang)
        except (OSError, SeqxError) as exc:
            raise SeqxError(
                f"CTranslate2 needs the vocabularies: {exc}; give the data folder with --data"
            ) from None
        saved = (recorded.get(role) or {}).get("fingerprint")
        if saved is not None and saved != d.fingerprint():
            raise SeqxError(
                f"the {role} dictionary of '{folder}' is not the one the model was trained "
                "with; give its data folder with --data"
            )
        out.append(["<blank>" if s == "<pad>" else s for s in d.symbols])
    return tuple(out)
