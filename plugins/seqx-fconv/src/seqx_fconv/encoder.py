"""The FConv encoder: embeddings and positions, gated convolutions with residuals."""

from __future__ import annotations

import math
from typing import Any

import torch.nn.functional as F
from torch import Tensor, nn

from seqx.models import Encoder, dropout
from seqx.models.embedding import padding_index
from seqx_fconv.modules import GradMultiply, PositionEmbedding, conv_tbc, linear


class FConvEncoder(Encoder):
    """fairseq's ``FConvEncoder``; batch-first outputs.

    ``encoder_out`` is the pair (keys, values): the last convolution's output
    projected back to the embedding size, and that plus the input embedding
    (each scaled by sqrt(0.5)); ``encoder_padding_mask`` is B x S (None
    without padding).
    """

    def __init__(
        self,
        dictionary: Any,
        embed_tokens: nn.Embedding,
        layers: list[tuple[int, int, int]],
        dropout: float,
        max_positions: int,
    ) -> None:
        super().__init__(dictionary)
        self.dropout = dropout
        self.num_attention_layers: int | None = None  # set by the model
        self.embed_tokens = embed_tokens
        self.padding_idx = padding_index(embed_tokens)
        dim = embed_tokens.embedding_dim
        self.embed_positions = PositionEmbedding(max_positions, dim, self.padding_idx)
        in_channels = layers[0][0]
        self.fc1 = linear(dim, in_channels, dropout=dropout)
        self.projections = nn.ModuleList()
        self.convolutions = nn.ModuleList()
        self.residuals: list[int] = []
        layer_in_channels = [in_channels]
        for out_channels, kernel_size, residual in layers:
            residual_dim = out_channels if residual == 0 else layer_in_channels[-residual]
            # None where no projection is needed: fairseq's module indices and state-dict names
            self.projections.append(
                linear(residual_dim, out_channels) if residual_dim != out_channels else None  # type: ignore[arg-type]
            )
            padding = kernel_size // 2 if kernel_size % 2 == 1 else 0
            self.convolutions.append(
                conv_tbc(in_channels, out_channels * 2, kernel_size, dropout, padding=padding)
            )
            self.residuals.append(residual)
            in_channels = out_channels
            layer_in_channels.append(out_channels)
        self.fc2 = linear(in_channels, dim)
        self.max_source_positions = max_positions

    def forward(
        self, src_tokens: Tensor, src_lengths: Tensor | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        x = self.embed_tokens(src_tokens) + self.embed_positions(src_tokens)
        x = dropout(x, self.dropout, self.training)
        input_embedding = x
        x = self.fc1(x)
        pad = src_tokens.eq(self.padding_idx)
        mask = pad.t() if bool(pad.any()) else None  # T x B
        x = x.transpose(0, 1)  # T x B x C
        states = [x]
        for proj, conv, res in zip(self.projections, self.convolutions, self.residuals):
            residual = None
            if res > 0:
                residual = states[-res]
                residual = residual if proj is None else proj(residual)
            if mask is not None:
                x = x.masked_fill(mask.unsqueeze(-1), 0)
            x = dropout(x, self.dropout, self.training)
            k = int(conv.kernel_size)  # type: ignore[arg-type]
            if k % 2 == 0:  # an even kernel: pad asymmetrically to keep the length
                x = F.pad(x, (0, 0, 0, 0, (k - 1) // 2, k // 2))
            x = F.glu(conv(x), dim=2)
            if residual is not None:
                x = (x + residual) * math.sqrt(0.5)
            states.append(x)
        x = self.fc2(x.transpose(0, 1))  # B x T x E
        if mask is not None:
            x = x.masked_fill(pad.unsqueeze(-1), 0)
        if self.num_attention_layers:  # each attention layer sends its gradient back
            x = GradMultiply.apply(x, 1.0 / (2.0 * self.num_attention_layers))
        y = (x + input_embedding) * math.sqrt(0.5)
        return {"encoder_out": (x, y), "encoder_padding_mask": pad if mask is not None else None}

    def max_positions(self) -> int:
        return self.max_source_positions
