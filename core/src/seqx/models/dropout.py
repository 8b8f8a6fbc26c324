"""``dropout``: inverted dropout with a one-byte mask drawn by ``rand_like``.

Same semantics as ``torch.nn.functional.dropout``; on CPU drawing the mask
with ``rand_like`` is about twice as fast as ``bernoulli_``, and the saved
mask takes a byte per element instead of four.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor


class _Dropout(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, p: float) -> Tensor:
        keep = torch.rand_like(x) >= p
        scale = 1.0 / (1.0 - p)
        ctx.save_for_backward(keep)
        ctx.scale = scale
        return x.mul(keep).mul_(scale)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor, None]:
        (keep,) = ctx.saved_tensors
        return grad.mul(keep).mul_(ctx.scale), None


def dropout(x: Tensor, p: float, training: bool) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``."""
    if not training or p <= 0.0:
        return x
    if p >= 1.0:
        return x * 0.0
    return _Dropout.apply(x, p)
