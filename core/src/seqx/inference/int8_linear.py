"""Linear layers that multiply in int8 on CPU (``--int8`` decoding).

Each weight is quantized once, symmetrically per output channel (``W ~ W_q * w_scale``, int8).
At every call the input is quantized to uint8 over its own range (one scale and zero point
for the whole input), the product runs in oneDNN's int8 kernel, and the same kernel applies
the scales and the bias as it writes the output. On CPUs with VNNI instructions this does
the decoder's matrix multiplies in about 60% of the time of bfloat16.

The numbers change: the hypotheses are those of a slightly different model. On the small
Multi30k Transformer of the README's benchmarks, test BLEU moved by about a tenth of a
point. It goes through the operators that PyTorch's compiler uses
for quantized linear layers on x86 (``torch.ops.onednn``), where the build has them.
"""

from __future__ import annotations

import functools

import torch
from torch import Tensor, nn

from seqx.inference.replace import replace_linear_layers_


@functools.cache
def int8_linear_available() -> bool:
    """Whether this PyTorch build can run ``Int8Linear``: oneDNN's quantized linear
    operators, tried once on a tiny product."""
    ops = getattr(torch.ops, "onednn", None)
    try:
        if not (
            torch.backends.mkldnn.is_available()
            and hasattr(ops, "qlinear_prepack")
            and hasattr(ops, "qlinear_pointwise")
        ):
            return False
        input_levels()
        layer = Int8Linear(torch.eye(8), None)
        out = layer(torch.arange(8.0).unsqueeze(0))
        return bool(torch.allclose(out, torch.arange(8.0).unsqueeze(0), atol=0.1))
    except (AttributeError, RuntimeError):
        return False


def _qlinear(
    x: Tensor,
    scale: float,
    zero_point: int,
    packed: Tensor,
    weight_scale: Tensor,
    bias: Tensor | None,
    out_dtype: torch.dtype,
) -> Tensor:
    """oneDNN's uint8 x int8 product of ``x`` (rows x in) and the packed weight, scaled."""
    zero = torch.zeros(weight_scale.numel(), dtype=torch.long)
    return torch.ops.onednn.qlinear_pointwise(
        x, scale, zero_point, packed, weight_scale, zero, bias, 1.0, 0, out_dtype, "none", [], ""
    )


@functools.cache
def input_levels() -> int:
    """The largest quantized input value: 255, or 127 (7-bit inputs) on CPUs whose int8
    kernels add pairs of uint8 x int8 products in saturating 16-bit integers (AVX2 without
    VNNI), where 255 x 127 x 2 would overflow and silently give wrong products. Found by
    multiplying the extreme values once."""
    cols = 64
    packed = torch.ops.onednn.qlinear_prepack(
        torch.full((4, cols), 127, dtype=torch.int8), [1, cols]
    )
    x = torch.full((1, cols), 255, dtype=torch.uint8)
    out = _qlinear(x, 1.0, 0, packed, torch.ones(4), None, torch.float32)
    return 255 if bool((out == 255 * 127 * cols).all()) else 127


class Int8Linear(nn.Module):
    """``y = x W^T + b`` with int8 weights and inputs (inference only).

    The output is in autocast's dtype when autocast is on (bfloat16 on CPU), float32
    otherwise.
    """

    def __init__(self, weight: Tensor, bias: Tensor | None) -> None:
        super().__init__()
        w = weight.detach().float()
        self.out_features, self.in_features = w.shape
        self.weight_scale = w.abs().amax(dim=1).clamp_min(torch.finfo(torch.float32).tiny) / 127
        quantized = torch.round(w / self.weight_scale[:, None]).clamp_(-127, 127).to(torch.int8)
        self.packed = torch.ops.onednn.qlinear_prepack(quantized, [1, self.in_features])
        self.levels = input_levels()
        self.packed_bias = None if bias is None else bias.detach().float()
        self.eval()

    def forward(self, x: Tensor) -> Tensor:
        if self.training or (torch.is_grad_enabled() and x.requires_grad):
            raise RuntimeError("Int8Linear is for inference: it has no gradient")
        shape = x.shape
        flat = x.reshape(-1, shape[-1])
        low, high = torch.aminmax(flat)
        low_f, high_f = min(float(low), 0.0), max(float(high), 0.0)
        levels = self.levels
        scale = (high_f - low_f) / levels or 1.0
        zero_point = min(levels, max(0, round(-low_f / scale)))
        # x / scale + zero point, rounded half up: truncating a value in [0, levels] after
        # adding 0.5 rounds it (through int16: float32 to uint8 directly is 4x slower)
        offset = torch.tensor(zero_point + 0.5)
        quantized = torch.add(offset, flat.float(), alpha=1.0 / scale).clamp_(0, levels)
        out_dtype = (
            torch.get_autocast_dtype("cpu") if torch.is_autocast_enabled("cpu") else torch.float32
        )
        out = _qlinear(
            quantized.to(torch.int16).to(torch.uint8),
            scale,
            zero_point,
            self.packed,
            self.weight_scale,
            self.packed_bias,
            out_dtype,
        )
        return out.view(*shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, int8"


def quantize_linear_layers_(model: nn.Module) -> int:
    """Replace every ``nn.Linear`` and ``TiedLinear`` of ``model`` (in evaluation mode, on
    CPU) by an ``Int8Linear``; returns how many."""
    return replace_linear_layers_(model, Int8Linear, "quantize")
