"""``TokenBlockDataset``: a stream of sentences cut into blocks for language modeling.

The sentences of a split (each ending with eos) are read as one token stream
and cut according to ``break_mode`` (fairseq's ``--sample-break-mode``):

- ``none``: blocks of exactly ``block_size`` tokens (the last one shorter),
  regardless of sentence boundaries;
- ``complete``: whole sentences packed greedily into blocks of at most
  ``block_size`` tokens (a longer sentence is a block of its own);
- ``complete_doc``: as ``complete``, but a block never spans an empty line
  (a document boundary); the empty lines themselves are dropped;
- ``eos``: one sentence per block.

Each item is ``(source, target)``: ``target`` is the block and ``source`` the
same tokens shifted right by one (the token before the block, or eos at the
start of the stream), which is what a language model reads to predict it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from seqx.errors import SeqxError

BREAK_MODES = ("none", "complete", "complete_doc", "eos")
"""The accepted values of ``break_mode``."""


def block_slices(sizes: np.ndarray, block_size: int, break_mode: str) -> np.ndarray:
    """Start and end offsets (``N x 2``, in the flat token stream) of every block."""
    sizes = np.asarray(sizes, dtype=np.int64)
    if break_mode not in BREAK_MODES:
        raise SeqxError(
            f"--sample-break-mode must be one of {', '.join(BREAK_MODES)}, got {break_mode!r}"
        )
    ends = np.cumsum(sizes)
    starts = ends - sizes
    total = int(ends[-1]) if len(ends) else 0
    if break_mode == "eos":
        return np.stack([starts, ends], axis=1)
    if block_size < 1:
        raise SeqxError(f"--tokens-per-sample must be at least 1, got {block_size}")
    if break_mode == "none":
        s = np.arange(0, total, block_size, dtype=np.int64)
        return np.stack([s, np.minimum(s + block_size, total)], axis=1)
    slices: list[tuple[int, int]] = []
    cur_start, cur_len = 0, 0
    for i, n in enumerate(sizes.tolist()):
        boundary = break_mode == "complete_doc" and n == 1  # an empty line: eos alone
        if boundary or (cur_len > 0 and cur_len + n > block_size):
            if cur_len > 0:
                slices.append((cur_start, cur_start + cur_len))
            cur_start, cur_len = int(starts[i]), 0
            if boundary:
                cur_start = int(ends[i])
                continue
        cur_len += n
    if cur_len > 0:
        slices.append((cur_start, cur_start + cur_len))
    return np.asarray(slices, dtype=np.int64).reshape(-1, 2)


class TokenBlockDataset(torch.utils.data.Dataset):
    """Blocks of a sentence dataset's token stream; ``ds[i]`` is ``(source, target)``."""

    def __init__(
        self, dataset: Any, sizes: np.ndarray, block_size: int, eos: int, break_mode: str = "none"
    ) -> None:
        self.dataset = dataset
        self.eos = eos
        self.block_size = block_size
        self.break_mode = break_mode
        self.sentence_ends = np.cumsum(np.asarray(sizes, dtype=np.int64))
        self.slices = block_slices(sizes, block_size, break_mode)
        self.sizes = (self.slices[:, 1] - self.slices[:, 0]).astype(np.int64)

    def __len__(self) -> int:
        return len(self.slices)

    def _tokens(self, start: int, end: int) -> torch.Tensor:
        """Tokens ``start:end`` of the flat stream."""
        first = int(np.searchsorted(self.sentence_ends, start, side="right"))
        last = int(np.searchsorted(self.sentence_ends, end - 1, side="right"))
        parts = [torch.as_tensor(self.dataset[i]) for i in range(first, last + 1)]
        offset = int(self.sentence_ends[first - 1]) if first > 0 else 0
        stream = parts[0] if len(parts) == 1 else torch.cat(parts)
        return stream[start - offset : end - offset].long()

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        start, end = (int(x) for x in self.slices[index])
        if start == 0:
            target = self._tokens(0, end)
            source = torch.cat([target.new_tensor([self.eos]), target[:-1]])
        else:
            both = self._tokens(start - 1, end)
            source, target = both[:-1], both[1:]
        return source, target
