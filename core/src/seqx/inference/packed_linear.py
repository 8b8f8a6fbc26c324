"""Linear layers with their weights laid out once for oneDNN's bfloat16 kernels (CPU decoding).

Under autocast a bfloat16 matrix multiply on CPU reorders its weight into oneDNN's blocked
layout at every call. Decoding calls each layer once per step with a few hundred rows, or a
handful in a batch's last steps, so the reorder costs as much as the product: 0.18 ms of
0.25 ms for the 8,000-word output projection of 5 rows. ``pack_linear_layers_`` replaces the
linear layers of a model prepared for inference with ``PackedLinear``, which keeps the weight
in that layout; the results are the same numbers. It goes through the operators that
PyTorch's own compiler uses for this (``torch.ops.mkldnn``), where the build has them.
"""

from __future__ import annotations

import functools

import torch
from torch import Tensor, nn

from seqx.inference.replace import replace_linear_layers_


@functools.cache
def packed_linear_available() -> bool:
    """Whether this PyTorch build and CPU can run ``PackedLinear`` in bfloat16."""
    ops = getattr(torch.ops, "mkldnn", None)
    try:
        return (
            torch.backends.mkldnn.is_available()
            and hasattr(ops, "_reorder_linear_weight")
            and hasattr(ops, "_linear_pointwise")
            and bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
        )
    except (AttributeError, RuntimeError):
        return False


class PackedLinear(nn.Module):
    """``y = x W^T + b`` in bfloat16 with ``W`` packed once (inference only)."""

    def __init__(self, weight: Tensor, bias: Tensor | None) -> None:
        super().__init__()
        weight = weight.detach().to(torch.bfloat16)
        self.in_features, self.out_features = weight.size(1), weight.size(0)
        self.packed = torch.ops.mkldnn._reorder_linear_weight(weight, None)
        self.packed_bias = None if bias is None else bias.detach().to(torch.bfloat16)
        self.eval()

    def forward(self, x: Tensor) -> Tensor:
        if self.training or (torch.is_grad_enabled() and x.requires_grad):
            raise RuntimeError("PackedLinear is for inference: it has no gradient")
        shape = x.shape
        flat = x.reshape(-1, shape[-1]).to(torch.bfloat16)
        out = torch.ops.mkldnn._linear_pointwise(
            flat, self.packed, self.packed_bias, "none", [], ""
        )
        return out.view(*shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bfloat16"


def pack_linear_layers_(model: nn.Module) -> int:
    """Replace every ``nn.Linear`` and ``TiedLinear`` of ``model`` (in evaluation mode, on
    CPU) by a ``PackedLinear``; returns how many. Outputs are bfloat16, as under autocast."""
    return replace_linear_layers_(model, PackedLinear, "pack")
