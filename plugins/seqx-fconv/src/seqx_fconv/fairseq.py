"""fairseq's FConv checkpoints (``fconv*``): weight norm's names and the position tables.

fairseq's weight norm keeps ``X.weight_g``/``X.weight_v`` where torch's parametrization
keeps ``X.parametrizations.weight.original0``/``original1``. fairseq's FConv gives its
learned position tables ``--max-source-positions`` rows, of which the first two (up to the
padding index) are never used; seqx's tables have ``max + 2`` rows, so seqx's maxima are
fairseq's less two.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from torch import Tensor

from seqx.compat.fairseq.adapter import FairseqAdapter

_FAIRSEQ = (".weight_g", ".weight_v")
_SEQX = (".parametrizations.weight.original0", ".parametrizations.weight.original1")
_UNUSED_POSITIONS = 2  # the padding index (1) and the one below it
_POSITIONS = ("max_source_positions", "max_target_positions")


class FConvAdapter(FairseqAdapter):
    """seqx's ``fconv`` <-> fairseq's ``fconv``."""

    fairseq_model = "fconv"

    def import_value(self, name: str, value: Any, options: Mapping[str, Any]) -> Any:
        return value - _UNUSED_POSITIONS if name in _POSITIONS else value

    def export_value(self, name: str, value: Any, config: Mapping[str, Any]) -> Any:
        return value + _UNUSED_POSITIONS if name in _POSITIONS else value

    def import_weights(
        self, weights: Mapping[str, Tensor], config: Mapping[str, Any]
    ) -> dict[str, Tensor]:
        return {
            _renamed(k, _FAIRSEQ, _SEQX): v
            for k, v in weights.items()
            if not k.endswith(".version")
        }

    def export_weights(
        self, weights: Mapping[str, Tensor], config: Mapping[str, Any]
    ) -> dict[str, Tensor]:
        out: dict[str, Tensor] = {}
        for key, tensor in weights.items():
            if key.startswith("decoder.") and "decoder.version" not in out:
                out["decoder.version"] = torch.tensor([2.0])  # fairseq's decoder buffer
            out[_renamed(key, _SEQX, _FAIRSEQ)] = tensor
        return out


def _renamed(key: str, old: tuple[str, ...], new: tuple[str, ...]) -> str:
    for o, n in zip(old, new, strict=True):
        if key.endswith(o):
            return key[: -len(o)] + n
    return key
