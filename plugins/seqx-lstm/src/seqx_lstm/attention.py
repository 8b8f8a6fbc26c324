"""fairseq's ``AttentionLayer`` of the LSTM decoder (Luong-style, dot product)."""

from __future__ import annotations

import torch
from torch import Tensor, nn


def linear(in_features: int, out_features: int, bias: bool = True) -> nn.Linear:
    """A linear layer initialized as fairseq's LSTM: U(-0.1, 0.1)."""
    m = nn.Linear(in_features, out_features, bias=bias)
    nn.init.uniform_(m.weight, -0.1, 0.1)
    if bias:
        nn.init.uniform_(m.bias, -0.1, 0.1)
    return m


class AttentionLayer(nn.Module):
    """Scores the source states against a projection of the decoder state, then mixes the
    context with the state: ``tanh(W [context; state])``."""

    def __init__(self, input_dim: int, source_dim: int, output_dim: int, bias: bool = False):
        super().__init__()
        self.input_proj = linear(input_dim, source_dim, bias=bias)
        self.output_proj = linear(input_dim + source_dim, output_dim, bias=bias)

    def forward(
        self, state: Tensor, source: Tensor, padding_mask: Tensor | None
    ) -> tuple[Tensor, Tensor]:
        """``state`` B x H, ``source`` B x S x C -> (output B x O, weights B x S)."""
        x = self.input_proj(state)
        scores = torch.bmm(source, x.unsqueeze(2)).squeeze(2)  # B x S
        if padding_mask is not None:
            scores = scores.float().masked_fill(padding_mask, float("-inf")).type_as(scores)
        weights = torch.softmax(scores, dim=1)
        context = torch.bmm(weights.unsqueeze(1), source).squeeze(1)
        return torch.tanh(self.output_proj(torch.cat([context, state], dim=1))), weights
