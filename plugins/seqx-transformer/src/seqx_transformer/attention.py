"""Multi-head attention over ``scaled_dot_product_attention``, with key/value caches.

Tensors are batch first (B x T x C). The self-attention projects queries,
keys and values with one fused matrix; cross-attention projects the encoder
output to keys and values once per sentence and caches them. Under beam
search the cross-attention cache holds one copy per sentence, not per beam
(a :class:`~seqx.models.SentenceCache`), and the beams of a sentence attend
to it together: a fifth of the memory traffic at beam 5.
"""

from __future__ import annotations

import math
import uuid

import torch
from torch import Tensor, nn

from seqx.models import BeamCache, IncrementalState, sentence_cache, sentence_group
from seqx_transformer.kernels import Kernel, auto


class MultiheadAttention(nn.Module):
    """Self- or cross-attention with ``num_heads`` heads."""

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        self_attention: bool = True,
        kdim: int | None = None,
    ) -> None:
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.dropout = dropout
        self.self_attention = self_attention
        kdim = kdim or embed_dim
        if self_attention:
            self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        else:
            self.q_proj = nn.Linear(embed_dim, embed_dim)
            self.kv_proj = nn.Linear(kdim, 2 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.key = f"attention.{uuid.uuid4().hex}"
        self.kernel: Kernel = auto
        """How the attention itself is computed (:mod:`seqx_transformer.kernels`)."""
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """fairseq's initialization: xavier (gain 1/sqrt 2) per projection, zero out bias."""
        gain = 1 / math.sqrt(2)
        d = self.embed_dim
        fused = [self.in_proj] if self.self_attention else [self.q_proj, self.kv_proj]
        for proj in fused:
            for i in range(proj.weight.size(0) // d):
                nn.init.xavier_uniform_(proj.weight[i * d : (i + 1) * d], gain=gain)
            nn.init.zeros_(proj.bias)  # fairseq: default bias init; zeros keep it simple
        nn.init.xavier_uniform_(self.out_proj.weight)
        nn.init.zeros_(self.out_proj.bias)

    def _heads(self, x: Tensor) -> Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)

    def _self_attention_qkv(
        self, query: Tensor, incremental_state: IncrementalState | None
    ) -> tuple[Tensor, Tensor, Tensor]:
        """Queries, keys and values of the self-attention; with a cache, the keys and
        values of the earlier positions come from it (one row per hypothesis)."""
        q, k, v = self.in_proj(query).chunk(3, dim=-1)
        q, k, v = self._heads(q), self._heads(k), self._heads(v)
        if incremental_state is not None:
            cache = incremental_state.get(self.key)
            if isinstance(cache, BeamCache):
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            incremental_state[self.key] = BeamCache(k=k, v=v)
        return q, k, v

    def _cross_attention_kv(
        self, key_value: Tensor | None, incremental_state: IncrementalState | None
    ) -> tuple[Tensor, Tensor]:
        """Keys and values of the encoder output; with a cache, computed once per sentence
        (made contiguous once, or every step's matmul copies them)."""

        def project(group: int) -> dict[str, Tensor | None]:
            assert key_value is not None
            source = key_value[::group] if group > 1 else key_value
            k, v = (self._heads(t) for t in self.kv_proj(source).chunk(2, dim=-1))
            return {"k": k.contiguous(), "v": v.contiguous()}

        if incremental_state is None:
            assert key_value is not None
            k, v = (self._heads(t) for t in self.kv_proj(key_value).chunk(2, dim=-1))
            return k, v
        cache = sentence_cache(incremental_state, self.key, project)
        return cache["k"], cache["v"]

    def forward(
        self,
        query: Tensor,
        key_value: Tensor | None = None,
        key_padding_mask: Tensor | None = None,
        causal: bool = False,
        incremental_state: IncrementalState | None = None,
    ) -> Tensor:
        """Attend from ``query`` (B x T x C) to itself or to ``key_value`` (B x S x C).

        ``key_padding_mask`` (B x S) is True at padding. With
        ``incremental_state``, ``query`` is the newest position only and
        keys/values come from (and extend) the cache.
        """
        rows = query.size(0)
        group = 1  # beams of a sentence sharing one cached copy of its keys and values
        if self.self_attention:
            q, k, v = self._self_attention_qkv(query, incremental_state)
            if incremental_state is not None:
                causal = False  # one new query attends to every cached position
        else:
            q = self._heads(self.q_proj(query))
            if incremental_state is not None:
                group = sentence_group(incremental_state, rows)
            k, v = self._cross_attention_kv(key_value, incremental_state)
            if group > 1:  # B*beam x H x 1 x D -> B x H x beam x D
                b = rows // group
                q = q.reshape(b, group, self.num_heads, self.head_dim).transpose(1, 2)
                if key_padding_mask is not None:
                    key_padding_mask = key_padding_mask[::group]
        mask = None
        if key_padding_mask is not None:
            if causal:
                raise ValueError("a causal attention takes no key padding mask")
            mask = ~key_padding_mask[:, None, None, :]
        dropout_p = self.dropout if self.training else 0.0
        out = self.kernel(q, k, v, mask, causal, dropout_p, group > 1)
        # B x H x T x D -> B x T x C; grouped beams: B/beam x H x beam x D -> B x 1 x C
        return self.out_proj(out.transpose(1, 2).reshape(rows, -1, self.embed_dim))
