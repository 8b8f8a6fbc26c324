"""Top-k over long rows (a beam's scores over the vocabulary) by way of chunk maxima.

``torch.topk`` on CPU walks every element through a heap; vocabulary-wide rows at every
step of a beam search make it one of the search's largest costs. The ``k`` largest
elements of a row lie in the ``k`` chunks with the largest maxima (any element outside
them is beaten by those ``k`` maxima), so a vectorized maximum per chunk, a small top-k
over the chunk maxima and one over the ``k`` chosen chunks give the same values for a
fraction of the work.
"""

from __future__ import annotations

import torch
from torch import Tensor

CHUNK = 128
"""Elements per chunk: large enough for the chunk maxima to be cheap, small enough for the
chosen chunks to be few elements."""


def topk(x: Tensor, k: int, chunk: int = CHUNK) -> tuple[Tensor, Tensor]:
    """The ``k`` largest values of each row of ``x`` (2-D) and their column indices,
    largest first, as ``torch.topk(x, k, dim=1)`` returns them (among equal values the
    index chosen may differ)."""
    if x.dim() != 2:
        raise ValueError(f"expected a 2-D tensor, got shape {tuple(x.shape)}")
    rows, n = x.shape
    chunks = n // chunk
    if chunks <= 2 * k or x.stride(1) != 1:
        return x.topk(k, dim=1)
    main = chunks * chunk
    blocks = x[:, :main].view(rows, chunks, chunk)
    best = blocks.amax(dim=-1).topk(k, dim=1, sorted=False).indices  # rows x k
    picked = blocks[torch.arange(rows, device=x.device).unsqueeze(1), best].view(rows, -1)
    if main < n:  # the tail that fills no whole chunk is always a candidate
        picked = torch.cat([picked, x[:, main:]], dim=1)
    values, pos = picked.topk(k, dim=1)
    in_chunk = pos < k * chunk
    block = best.gather(1, torch.div(pos, chunk, rounding_mode="floor").clamp_(max=k - 1))
    columns = torch.where(in_chunk, block * chunk + pos % chunk, pos - k * chunk + main)
    return values, columns
