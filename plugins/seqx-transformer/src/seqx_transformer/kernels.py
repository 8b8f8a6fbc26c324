"""Attention kernels: how ``softmax(q k^T / sqrt(d)) v`` is computed, chosen as a strategy.

The attention module computes queries, keys and values as the paper does and hands them
to its ``kernel``. Every kernel takes heads-first tensors (B x H x Q x D queries, B x H x
S x D keys and values), a boolean mask (True: attend) broadcastable to B x H x Q x S,
whether attention is causal, the dropout probability, and whether the query rows are
independent single positions (the beams of a sentence attending together); each returns
B x H x Q x D.

- :func:`sdpa`: ``torch.nn.functional.scaled_dot_product_attention`` as it is.
- :func:`cpu`: on CPU, single-position queries (incremental decoding) as two small
  matrix products, which beat the fused kernel's per-call overhead several times over;
  everything else through the fused kernel in float32 (CPU attention kernels are much
  slower in bfloat16 or float16).
- :func:`auto` (the default): :func:`cpu` on CPU, :func:`sdpa` elsewhere.

``set_attention_kernel(model, name)`` swaps the kernel of every attention of a model.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

Kernel = Callable[[Tensor, Tensor, Tensor, Tensor | None, bool, float, bool], Tensor]
"""``kernel(q, k, v, mask, causal, dropout_p, independent_queries)``."""


def sdpa(
    q: Tensor,
    k: Tensor,
    v: Tensor,
    mask: Tensor | None,
    causal: bool,
    dropout_p: float,
    independent_queries: bool = False,
) -> Tensor:
    """The fused kernel of torch."""
    return F.scaled_dot_product_attention(
        q, k, v, attn_mask=mask, dropout_p=dropout_p, is_causal=causal and mask is None
    )


def matmul(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None) -> Tensor:
    """Two batched matrix products and a float32 softmax (no causal mask, no dropout)."""
    scores = torch.matmul(q, k.transpose(-1, -2)) * (q.size(-1) ** -0.5)  # B H Q S
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1, dtype=torch.float32).to(v.dtype)
    return torch.matmul(weights, v)


def cpu(
    q: Tensor,
    k: Tensor,
    v: Tensor,
    mask: Tensor | None,
    causal: bool,
    dropout_p: float,
    independent_queries: bool = False,
) -> Tensor:
    """CPU: single-position queries as two matrix products; the rest fused, in float32."""
    if (q.size(2) == 1 or independent_queries) and dropout_p == 0.0:
        return matmul(q, k, v, mask)
    dtype = q.dtype
    with torch.autocast("cpu", enabled=False):
        out = sdpa(q.float(), k.float(), v.float(), mask, causal, dropout_p)
    return out.to(dtype)


def auto(
    q: Tensor,
    k: Tensor,
    v: Tensor,
    mask: Tensor | None,
    causal: bool,
    dropout_p: float,
    independent_queries: bool = False,
) -> Tensor:
    """:func:`cpu` on CPU, :func:`sdpa` on other devices."""
    kernel = cpu if q.device.type == "cpu" else sdpa
    return kernel(q, k, v, mask, causal, dropout_p, independent_queries)


KERNELS: dict[str, Kernel] = {"auto": auto, "cpu": cpu, "sdpa": sdpa}
"""The kernels by name."""


def set_attention_kernel(model: nn.Module, name: str) -> int:
    """Give every attention module of ``model`` kernel ``name``; returns how many."""
    from seqx_transformer.attention import MultiheadAttention

    if name not in KERNELS:
        raise ValueError(f"unknown attention kernel '{name}'; choose one of {sorted(KERNELS)}")
    count = 0
    for module in model.modules():
        if isinstance(module, MultiheadAttention):
            module.kernel = KERNELS[name]
            count += 1
    return count
