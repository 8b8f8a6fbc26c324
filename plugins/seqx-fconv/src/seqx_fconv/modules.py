"""The pieces of FConv: weight-normalized layers, ConvTBC, the linearized convolution of
incremental decoding, learned positions and gradient scaling, initialized as fairseq's."""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils.parametrizations import weight_norm

from seqx.models import autocast_dtype


def embedding(num: int, dim: int, padding_idx: int) -> nn.Embedding:
    m = nn.Embedding(num, dim, padding_idx=padding_idx)
    nn.init.normal_(m.weight, 0, 0.1)
    nn.init.constant_(m.weight[padding_idx], 0)
    return m


def linear(in_features: int, out_features: int, dropout: float = 0.0) -> nn.Module:
    """A weight-normalized linear layer, N(0, sqrt((1 - dropout) / in)) init."""
    m = nn.Linear(in_features, out_features)
    nn.init.normal_(m.weight, 0, math.sqrt((1 - dropout) / in_features))
    nn.init.zeros_(m.bias)
    return weight_norm(m)


class PositionEmbedding(nn.Embedding):
    """Learned positions counted from ``padding_idx + 1`` over the non-padding tokens."""

    def __init__(self, max_positions: int, dim: int, padding_idx: int) -> None:
        super().__init__(max_positions + padding_idx + 1, dim, padding_idx=padding_idx)
        nn.init.normal_(self.weight, 0, 0.1)
        nn.init.constant_(self.weight[padding_idx], 0)
        self.max_positions = max_positions

    def forward(self, tokens: Tensor, incremental: bool = False) -> Tensor:  # type: ignore[override]
        assert self.padding_idx is not None
        mask = tokens.ne(self.padding_idx).long()
        positions = torch.cumsum(mask, dim=1) * mask + self.padding_idx
        if incremental:
            positions = positions[:, -1:]
        return super().forward(positions)


class ConvTBC(nn.Module):
    """A 1-D convolution over time-batch-channel input (fairseq's layout: weight k x in x out)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, padding: int = 0):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.padding = kernel_size, padding
        self.weight = nn.Parameter(torch.empty(kernel_size, in_channels, out_channels))
        self.bias = nn.Parameter(torch.zeros(out_channels))

    def forward(self, x: Tensor) -> Tensor:
        return torch.conv_tbc(x.contiguous(), self.weight, self.bias, self.padding)


def conv_tbc(in_channels: int, out_channels: int, kernel_size: int, dropout: float, **kw: Any):
    """fairseq's init: N(0, sqrt(4 (1 - dropout) / (k * in))), weight norm over the outputs."""
    m = ConvTBC(in_channels, out_channels, kernel_size, **kw)
    std = math.sqrt((4 * (1.0 - dropout)) / (kernel_size * in_channels))
    nn.init.normal_(m.weight, 0, std)
    return weight_norm(m, dim=2)


class LinearizedConvolution(ConvTBC):
    """A causal convolution: over a whole target during training (padded by k - 1 on the
    left), or one step at a time from a buffer of the last k inputs when decoding."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int) -> None:
        super().__init__(in_channels, out_channels, kernel_size, padding=kernel_size - 1)
        self._linearized: tuple[Tensor, int, torch.dtype, Tensor] | None = None

    def linearized_weight(self, dtype: torch.dtype | None = None) -> Tensor:
        """The weight as one out x (k * in) matrix, in ``dtype`` if given. Kept while
        ``self.weight`` is the same tensor, unchanged (within ``parametrize.cached()``, or
        for good once the weight normalization is folded in for inference)."""
        weight = self.weight
        dtype = dtype or weight.dtype
        cached = self._linearized
        if (
            cached is None
            or cached[0] is not weight
            or cached[1] != weight._version
            or cached[2] != dtype
        ):
            matrix = weight.permute(2, 0, 1).reshape(self.out_channels, -1).to(dtype)
            cached = self._linearized = (weight, weight._version, dtype, matrix)
        return cached[3]

    def forward(self, x: Tensor) -> Tensor:
        """``x`` T x B x C -> T x B x out (causal)."""
        out = super().forward(x)
        if self.kernel_size > 1:
            out = out[: -(self.kernel_size - 1)]
        return out

    def step(self, x: Tensor, buffer: Tensor | None) -> tuple[Tensor, Tensor]:
        """One position: ``x`` B x C and the buffer (B x k x C) -> (B x out, new buffer)."""
        k = self.kernel_size
        if buffer is None:
            buffer = x.new_zeros(x.size(0), k, x.size(1))
        buffer = torch.cat([buffer[:, 1:], x.unsqueeze(1)], dim=1) if k > 1 else x.unsqueeze(1)
        # under autocast the matrix is cast once, not at every step (it is no leaf parameter)
        weight = self.linearized_weight(autocast_dtype(x.device.type))
        return F.linear(buffer.reshape(x.size(0), -1), weight, self.bias), buffer


def linearized_conv(in_channels: int, out_channels: int, kernel_size: int, dropout: float):
    m = LinearizedConvolution(in_channels, out_channels, kernel_size)
    std = math.sqrt((4 * (1.0 - dropout)) / (kernel_size * in_channels))
    nn.init.normal_(m.weight, 0, std)
    return weight_norm(m, dim=2)


class GradMultiply(torch.autograd.Function):
    """Identity forward; the gradient times ``scale`` backward."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, scale: float) -> Tensor:
        ctx.scale = scale
        return x.new_empty(x.shape).copy_(x)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor, None]:
        return grad * ctx.scale, None
