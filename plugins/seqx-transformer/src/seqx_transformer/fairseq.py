"""fairseq's Transformer checkpoints: options and state-dict names, both ways.

fairseq keeps separate ``q_proj``/``k_proj``/``v_proj`` in each attention and names the
residual blocks' norms after the sublayer (``self_attn_layer_norm``, ``final_layer_norm``);
seqx fuses the projections (``in_proj``, ``kv_proj``) and groups each sublayer with its
norm. fairseq 0.12 also stores a fused copy of every encoder layer's weights for its
BetterTransformer path (``encoder.layers.N.in_proj_weight``, ...), which it rebuilds on
load: dropped on import, rebuilt on export so the file has fairseq's own layout.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import torch
from torch import Tensor

from seqx.compat.fairseq.adapter import FairseqAdapter
from seqx.errors import SeqxError
from seqx_transformer.config import TransformerConfig

_BETTER_TRANSFORMER = re.compile(
    r"^encoder\.layers\.\d+\.(in_proj|out_proj|fc1|fc2)_(weight|bias)$"
)
_LAYER = re.compile(r"^(encoder|decoder)\.layers\.(\d+)\.(.+)$")

_RENAMED_IN_LAYER = {
    "self_attn_layer_norm.": "self_attn_block.norm.",
    "encoder_attn_layer_norm.": "encoder_attn_block.norm.",
    "final_layer_norm.": "ffn_block.norm.",
    "fc1.": "ffn.fc1.",
    "fc2.": "ffn.fc2.",
}
_EMBEDDING = ("embed_tokens.", "embed_positions.", "layernorm_embedding.")


class TransformerAdapter(FairseqAdapter):
    """seqx's ``transformer`` <-> fairseq's ``transformer``."""

    fairseq_model = "transformer"
    unsupported = {
        "adaptive_input": (False, None),
        "adaptive_softmax_cutoff": (None,),
        "tie_adaptive_weights": (False, None),
        "cross_self_attention": (False, None),
        "no_cross_attention": (False, None),
        "encoder_layers_to_keep": (None, ""),
        "decoder_layers_to_keep": (None, ""),
        "no_decoder_final_norm": (False, None),
        "scale_norm": (False, None),
        "scale_attn": (False, None),
        "scale_fc": (False, None),
        "scale_heads": (False, None),
        "scale_resids": (False, None),
        "char_inputs": (False, None),
    }

    def check_supported(self, options: Mapping[str, Any], path: str) -> None:
        super().check_supported(options, path)
        embed = options.get("decoder_embed_dim")
        if options.get("decoder_input_dim", embed) != embed:
            raise SeqxError(
                f"fairseq checkpoint '{path}' has --decoder-input-dim "
                f"{options['decoder_input_dim']} unlike --decoder-embed-dim {embed}, which "
                "seqx's transformer does not have; it cannot be imported"
            )

    def import_weights(
        self, weights: Mapping[str, Tensor], config: Mapping[str, Any]
    ) -> dict[str, Tensor]:
        out: dict[str, Tensor] = {}
        for key, tensor in weights.items():
            if key.endswith((".version", "._float_tensor")) or _BETTER_TRANSFORMER.match(key):
                continue
            out[_import_name(key)] = tensor
        if "decoder.embed_out" in out:  # fairseq before 0.10
            out["decoder.output_projection.weight"] = out.pop("decoder.embed_out")
        if _shared_output(config):
            out.pop("decoder.output_projection.weight", None)
        for side in ("encoder", "decoder"):
            _fuse(out, side, "self_attn", ("q", "k", "v"), "in_proj")
        _fuse(out, "decoder", "encoder_attn", ("k", "v"), "kv_proj")
        return out

    def export_weights(
        self, weights: Mapping[str, Tensor], config: Mapping[str, Any]
    ) -> dict[str, Tensor]:
        out: dict[str, Tensor] = {"encoder.version": torch.tensor([3.0])}
        for key, tensor in weights.items():
            if key == "decoder.embedding.embed_tokens.weight":  # before the decoder's layers
                out[_export_name(key)] = tensor
                out["decoder.version"] = torch.tensor([3.0])
                continue
            out.update(_export_one(key, tensor))
        cfg = TransformerConfig(**{k: v for k, v in config.items() if not k.startswith("_")})
        for side, learned in (
            ("encoder", cfg.encoder_learned_pos),
            ("decoder", cfg.decoder_learned_pos),
        ):
            if not learned and not cfg.no_token_positional_embeddings:
                out[f"{side}.embed_positions._float_tensor"] = torch.zeros(1)
        if _shared_output(config):
            out["decoder.output_projection.weight"] = out["decoder.embed_tokens.weight"]
        return _with_better_transformer_copies(out)

    def export_options(self, config: Mapping[str, Any]) -> dict[str, Any]:
        out = super().export_options(config)
        cfg = TransformerConfig(**{k: v for k, v in config.items() if not k.startswith("_")})
        out["decoder_embed_dim"] = cfg.decoder_dim
        out["decoder_ffn_embed_dim"] = cfg.decoder_ffn_embed_dim or cfg.encoder_ffn_embed_dim
        out["decoder_input_dim"] = cfg.decoder_dim
        out["decoder_output_dim"] = cfg.decoder_output_dim or cfg.decoder_dim
        out["encoder_embed_path"] = out["decoder_embed_path"] = None
        out["encoder_layerdrop"] = out["decoder_layerdrop"] = 0.0
        out["quant_noise_pq"] = 0
        out["adaptive_softmax_dropout"] = 0
        return out


def _shared_output(config: Mapping[str, Any]) -> bool:
    return bool(
        config.get("share_decoder_input_output_embed") or config.get("share_all_embeddings")
    )


def _import_name(key: str) -> str:
    for side in ("encoder.", "decoder."):
        for part in _EMBEDDING:
            if key.startswith(side + part):
                return side + "embedding." + key[len(side) :]
    return _layer_name(key, _RENAMED_IN_LAYER)


def _layer_name(key: str, renames: dict[str, str]) -> str:
    """``key`` with the first of ``renames`` that starts its part within a layer applied."""
    m = _LAYER.match(key)
    if not m:
        return key
    side, index, rest = m.groups()
    for old, new in renames.items():
        if rest.startswith(old):
            rest = new + rest[len(old) :]
            break
    return f"{side}.layers.{index}.{rest}"


def _fuse(out: dict[str, Tensor], side: str, attn: str, parts: tuple[str, ...], fused: str) -> None:
    """Concatenate fairseq's separate projections of ``attn`` into seqx's ``fused`` one
    (fairseq before 0.9 already kept a fused ``in_proj_weight``: split as fairseq did)."""
    pattern = re.compile(rf"^{side}\.layers\.(\d+)\.{attn}\.")
    layers = sorted({m.group(1) for k in out if (m := pattern.match(k))}, key=int)
    for i in layers:
        prefix = f"{side}.layers.{i}.{attn}."
        for kind in ("weight", "bias"):
            old = out.pop(prefix + f"in_proj_{kind}", None)
            if old is not None:
                third = old.shape[0] // 3
                if fused == "in_proj":
                    out[prefix + f"in_proj.{kind}"] = old
                else:
                    out[prefix + f"q_proj.{kind}"] = old[:third]
                    out[prefix + f"kv_proj.{kind}"] = old[third:]
                continue
            names = [prefix + f"{p}_proj.{kind}" for p in parts]
            if all(n in out for n in names):
                out[prefix + f"{fused}.{kind}"] = torch.cat([out.pop(n) for n in names])


def _export_name(key: str) -> str:
    for side in ("encoder.", "decoder."):
        if key.startswith(side + "embedding."):
            return side + key[len(side + "embedding.") :]
    return _layer_name(key, {new: old for old, new in _RENAMED_IN_LAYER.items()})


def _export_one(key: str, tensor: Tensor) -> dict[str, Tensor]:
    """fairseq's tensors for one of seqx's: fused projections split in fairseq's order."""
    name = _export_name(key)
    for fused, order in ((".in_proj.", ("q", "k", "v")), (".kv_proj.", ("k", "v"))):
        if fused in name:
            head, kind = name.split(fused)
            by_part = dict(zip(order, tensor.chunk(len(order)), strict=True))
            # fairseq's construction order: k, v, q
            return {
                f"{head}.{p}_proj.{kind}": by_part[p].clone()
                for p in ("k", "v", "q")
                if p in by_part
            }
    return {name: tensor}


def _with_better_transformer_copies(weights: dict[str, Tensor]) -> dict[str, Tensor]:
    """Each encoder layer's fused copies, first in the layer as fairseq keeps them."""
    out: dict[str, Tensor] = {}
    for key, tensor in weights.items():
        m = _LAYER.match(key)
        if m and m.group(1) == "encoder" and key.endswith(".self_attn.k_proj.weight"):
            p = f"encoder.layers.{m.group(2)}."
            a = p + "self_attn."
            for kind in ("weight", "bias"):
                out[p + f"in_proj_{kind}"] = torch.cat(
                    [weights[a + f"{x}_proj.{kind}"] for x in ("q", "k", "v")]
                )
            for kind in ("weight", "bias"):
                out[p + f"out_proj_{kind}"] = weights[a + f"out_proj.{kind}"]
            for fc in ("fc1", "fc2"):
                for kind in ("weight", "bias"):
                    out[p + f"{fc}_{kind}"] = weights[p + f"{fc}.{kind}"]
        out[key] = tensor
    return out
