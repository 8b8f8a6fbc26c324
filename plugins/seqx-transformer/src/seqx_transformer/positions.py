"""Positional embeddings: fairseq's sinusoidal and learned variants.

Positions count from ``padding_idx + 1`` over non-padding tokens only, so a
left-padded sentence gets the same positions as the sentence alone.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


def make_positions(tokens: Tensor, padding_idx: int) -> Tensor:
    """``padding_idx + 1, + 2, ...`` over the non-padding tokens; padding keeps ``padding_idx``."""
    mask = tokens.ne(padding_idx).int()
    return (torch.cumsum(mask, dim=1).type_as(mask) * mask).long() + padding_idx


def sinusoidal_table(num_embeddings: int, dim: int, padding_idx: int | None) -> Tensor:
    """fairseq's table: sines in the first half of each row, cosines in the second."""
    half = dim // 2
    scale = math.log(10000) / (half - 1)
    freqs = torch.exp(torch.arange(half, dtype=torch.float) * -scale)
    angles = torch.arange(num_embeddings, dtype=torch.float).unsqueeze(1) * freqs.unsqueeze(0)
    table = torch.cat([torch.sin(angles), torch.cos(angles)], dim=1).view(num_embeddings, -1)
    if dim % 2 == 1:
        table = torch.cat([table, torch.zeros(num_embeddings, 1)], dim=1)
    if padding_idx is not None:
        table[padding_idx, :] = 0
    return table


class SinusoidalPositionalEmbedding(nn.Module):
    """Fixed sinusoidal positions; the table grows on demand."""

    def __init__(self, dim: int, padding_idx: int, init_size: int = 1024) -> None:
        super().__init__()
        self.dim = dim
        self.padding_idx = padding_idx
        self.weights: Tensor
        self.register_buffer(
            "weights", sinusoidal_table(init_size, dim, padding_idx), persistent=False
        )
        self.max_positions = int(1e5)

    def forward(self, tokens: Tensor, incremental: bool = False) -> Tensor:
        bsz, seq_len = tokens.shape
        needed = self.padding_idx + 1 + seq_len
        if needed > self.weights.size(0):
            self.weights = sinusoidal_table(needed, self.dim, self.padding_idx).to(self.weights)
        if incremental:  # the last position of an unpadded prefix
            return self.weights[self.padding_idx + seq_len].expand(bsz, 1, -1)
        positions = make_positions(tokens, self.padding_idx)
        return self.weights.index_select(0, positions.view(-1)).view(bsz, seq_len, -1)


class LearnedPositionalEmbedding(nn.Embedding):
    """Learned positions for at most ``num_positions`` tokens."""

    def __init__(self, num_positions: int, dim: int, padding_idx: int) -> None:
        super().__init__(num_positions + padding_idx + 1, dim, padding_idx=padding_idx)
        nn.init.normal_(self.weight, mean=0, std=dim**-0.5)
        nn.init.constant_(self.weight[padding_idx], 0)
        self.max_positions = num_positions
        self.pad = padding_idx

    def forward(self, tokens: Tensor, incremental: bool = False) -> Tensor:  # type: ignore[override]
        if incremental:
            pos = torch.full((tokens.size(0), 1), self.pad + tokens.size(1), device=tokens.device)
        else:
            pos = make_positions(tokens, self.pad)
        return super().forward(pos)


def positional_embedding(
    learned: bool, num_positions: int, dim: int, padding_idx: int
) -> nn.Module:
    """The positional embedding an encoder or decoder asks for."""
    if learned:
        return LearnedPositionalEmbedding(num_positions, dim, padding_idx)
    return SinusoidalPositionalEmbedding(
        dim, padding_idx, init_size=num_positions + padding_idx + 1
    )
