"""The few helpers fairseq code reaches through ``fairseq.utils``, under the same names.

Porting a fairseq model (the tutorials' among them) then needs only
``from seqx import utils``.
"""

from __future__ import annotations

import uuid
from typing import Any

import torch
from torch import Tensor, nn


def convert_padding_direction(
    src_tokens: Tensor,
    padding_idx: int,
    right_to_left: bool = False,
    left_to_right: bool = False,
) -> Tensor:
    """Move the padding of ``src_tokens`` (B x T) from the left to the right or back."""
    if right_to_left == left_to_right:
        raise ValueError("give exactly one of right_to_left and left_to_right")
    pad = src_tokens.eq(padding_idx)
    if not bool(pad.any()):
        return src_tokens
    if left_to_right and not bool(pad[:, 0].any()):
        return src_tokens  # already right-padded
    if right_to_left and not bool(pad[:, -1].any()):
        return src_tokens  # already left-padded
    t = src_tokens.size(1)
    shift = pad.sum(1, keepdim=True)
    index = torch.arange(t, device=src_tokens.device).unsqueeze(0)
    index = (index + shift) % t if left_to_right else (index - shift) % t
    return src_tokens.gather(1, index)


def _key(module: nn.Module, key: str) -> str:
    if not hasattr(module, "_incremental_state_id"):
        module._incremental_state_id = uuid.uuid4().hex  # type: ignore[assignment]
    return f"{type(module).__name__}.{module._incremental_state_id}.{key}"


def get_incremental_state(
    module: nn.Module, incremental_state: dict[str, Any] | None, key: str
) -> Any:
    """``module``'s value for ``key`` in the decoding cache (None if absent)."""
    if incremental_state is None:
        return None
    return incremental_state.get(_key(module, key))


def set_incremental_state(
    module: nn.Module, incremental_state: dict[str, Any] | None, key: str, value: Any
) -> dict[str, Any] | None:
    """Store ``module``'s ``value`` for ``key`` in the decoding cache."""
    if incremental_state is not None:
        incremental_state[_key(module, key)] = value
    return incremental_state
