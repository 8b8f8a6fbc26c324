"""Encoder and decoder layers (post-norm as in the paper, or pre-norm)."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from seqx.models import IncrementalState, dropout
from seqx_transformer.attention import MultiheadAttention
from seqx_transformer.config import TransformerConfig


def _gelu_accurate(x: Tensor) -> Tensor:
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * torch.pow(x, 3))))


ACTIVATIONS: dict[str, Callable[[Tensor], Tensor]] = {
    "relu": F.relu,
    "gelu": F.gelu,
    "gelu_accurate": _gelu_accurate,
    "tanh": torch.tanh,
    "linear": lambda x: x,
}


def linear(in_features: int, out_features: int) -> nn.Linear:
    """A linear layer initialized as fairseq's (xavier uniform, zero bias)."""
    m = nn.Linear(in_features, out_features)
    nn.init.xavier_uniform_(m.weight)
    nn.init.zeros_(m.bias)
    return m


class FeedForward(nn.Module):
    """fc1 -> activation -> activation dropout -> fc2."""

    def __init__(self, dim: int, inner: int, activation: str, activation_dropout: float) -> None:
        super().__init__()
        self.fc1 = linear(dim, inner)
        self.fc2 = linear(inner, dim)
        self.activation = ACTIVATIONS[activation]
        self.activation_dropout = activation_dropout

    def forward(self, x: Tensor) -> Tensor:
        x = self.activation(self.fc1(x))
        x = dropout(x, self.activation_dropout, self.training)
        return self.fc2(x)


class Residual(nn.Module):
    """``x + dropout(block(x))`` with the layer norm before (pre-norm) or after."""

    def __init__(self, dim: int, dropout: float, normalize_before: bool) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.dropout = dropout
        self.normalize_before = normalize_before

    def pre(self, x: Tensor) -> Tensor:
        return self.norm(x) if self.normalize_before else x

    def post(self, residual: Tensor, y: Tensor) -> Tensor:
        x = residual + dropout(y, self.dropout, self.training)
        return x if self.normalize_before else self.norm(x)


class EncoderLayer(nn.Module):
    """Self-attention and a feed-forward block."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        dim = cfg.encoder_embed_dim
        pre = cfg.encoder_normalize_before
        self.self_attn = MultiheadAttention(dim, cfg.encoder_attention_heads, cfg.attention_dropout)
        self.self_attn_block = Residual(dim, cfg.dropout, pre)
        self.ffn = FeedForward(
            dim,
            cfg.encoder_ffn_embed_dim,
            cfg.activation_fn,
            cfg.activation_dropout,
        )
        self.ffn_block = Residual(dim, cfg.dropout, pre)

    def forward(self, x: Tensor, padding_mask: Tensor | None) -> Tensor:
        y = self.self_attn(self.self_attn_block.pre(x), key_padding_mask=padding_mask)
        x = self.self_attn_block.post(x, y)
        return self.ffn_block.post(x, self.ffn(self.ffn_block.pre(x)))


class DecoderLayer(nn.Module):
    """Causal self-attention, attention over the encoder, and a feed-forward block."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        dim = cfg.decoder_dim
        pre = cfg.decoder_normalize_before
        heads = cfg.decoder_attention_heads
        self.self_attn = MultiheadAttention(dim, heads, cfg.attention_dropout)
        self.self_attn_block = Residual(dim, cfg.dropout, pre)
        self.encoder_attn = MultiheadAttention(
            dim,
            heads,
            cfg.attention_dropout,
            self_attention=False,
            kdim=cfg.encoder_embed_dim,
        )
        self.encoder_attn_block = Residual(dim, cfg.dropout, pre)
        self.ffn = FeedForward(
            dim,
            cfg.decoder_ffn_dim,
            cfg.activation_fn,
            cfg.activation_dropout,
        )
        self.ffn_block = Residual(dim, cfg.dropout, pre)

    def forward(
        self,
        x: Tensor,
        encoder_out: Tensor,
        encoder_padding_mask: Tensor | None,
        incremental_state: IncrementalState | None = None,
    ) -> Tensor:
        y = self.self_attn(
            self.self_attn_block.pre(x), causal=True, incremental_state=incremental_state
        )
        x = self.self_attn_block.post(x, y)
        y = self.encoder_attn(
            self.encoder_attn_block.pre(x),
            key_value=encoder_out,
            key_padding_mask=encoder_padding_mask,
            incremental_state=incremental_state,
        )
        x = self.encoder_attn_block.post(x, y)
        return self.ffn_block.post(x, self.ffn(self.ffn_block.pre(x)))
