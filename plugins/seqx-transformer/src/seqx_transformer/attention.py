"""Multi-head attention over ``scaled_dot_product_attention``, with key/value caches.

Tensors are batch first (B x T x C). The self-attention projects queries,
keys and values with one fused matrix; cross-attention projects the encoder
output to keys and values once per sentence and caches them. Under beam
search (``beam_size`` > 1) the cross-attention cache holds one copy per
sentence, not per beam, and the beams of a sentence attend to it together:
a fifth of the memory traffic at beam 5.
"""

from __future__ import annotations

import contextlib
import math
import uuid

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from seqx.models import IncrementalState


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
        self.beam_size = 1
        """Rows ``i*beam_size .. (i+1)*beam_size-1`` are the beams of one sentence (set by
        the decoder's ``set_beam_size`` before a search)."""
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

    def _single_query(self, q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None) -> Tensor:
        """Attention of a few query rows (incremental decoding: one position, or the beams of
        a sentence): on CPU, two small batched matmuls beat the fused kernel's per-call
        overhead several times over."""
        scores = torch.matmul(q, k.transpose(-1, -2)) * (self.head_dim**-0.5)  # B H Q S
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1, dtype=torch.float32).to(v.dtype)
        return torch.matmul(weights, v)

    def _heads(self, x: Tensor) -> Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)

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
        cache = None
        rows = query.size(0)
        group = 1  # beams of a sentence sharing one cached copy of its keys and values
        if incremental_state is not None:
            cache = incremental_state.setdefault(self.key, {})
        if self.self_attention:
            q, k, v = self.in_proj(query).chunk(3, dim=-1)
            q, k, v = self._heads(q), self._heads(k), self._heads(v)
            if cache is not None:
                if cache.get("k") is not None:
                    k = torch.cat([cache["k"], k], dim=2)  # type: ignore[list-item]
                    v = torch.cat([cache["v"], v], dim=2)  # type: ignore[list-item]
                cache["k"], cache["v"] = k, v
                causal = False  # one new query attends to every cached position
        else:
            q = self._heads(self.q_proj(query))
            if cache is not None:  # the decoder checked that rows are whole sentences
                group = self.beam_size
            if cache is not None and cache.get("k") is not None:
                k, v = cache["k"], cache["v"]  # type: ignore[assignment]
            else:
                assert key_value is not None
                if group > 1:  # the beams of a sentence share its encoder output
                    key_value = key_value[::group]
                k, v = (self._heads(t) for t in self.kv_proj(key_value).chunk(2, dim=-1))
                if cache is not None:  # contiguous once, or every step's matmul copies them
                    k, v = k.contiguous(), v.contiguous()
                    cache["k"], cache["v"] = k, v
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
        dtype = q.dtype
        on_cpu = q.device.type == "cpu"
        if on_cpu and (q.size(2) == 1 or group > 1) and not (self.training and self.dropout > 0):
            out = self._single_query(q, k, v, mask)
        else:
            if on_cpu and dtype != torch.float32:
                # CPU attention kernels are much slower in bf16/fp16 than in fp32
                q, k, v = q.float(), k.float(), v.float()
            with torch.autocast("cpu", enabled=False) if on_cpu else contextlib.nullcontext():
                out = F.scaled_dot_product_attention(
                    q,
                    k,
                    v,
                    attn_mask=mask,
                    dropout_p=self.dropout if self.training else 0.0,
                    is_causal=causal and mask is None,
                ).to(dtype)
        # B x H x T x D -> B x T x C; grouped beams: B/beam x H x beam x D -> B x 1 x C
        return self.out_proj(out.transpose(1, 2).reshape(rows, -1, self.embed_dim))
