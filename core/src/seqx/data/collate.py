"""Padding lists of token tensors into batches."""

from __future__ import annotations

from collections.abc import Sequence

import torch


def collate_tokens(
    values: Sequence[torch.Tensor],
    pad_idx: int,
    eos_idx: int | None = None,
    left_pad: bool = False,
    move_eos_to_beginning: bool = False,
    pad_to_length: int | None = None,
    pad_to_multiple: int = 1,
) -> torch.Tensor:
    """Stack 1-D tensors into a padded 2-D tensor (left- or right-padded).

    With ``move_eos_to_beginning`` each row is shifted right by one with
    ``eos_idx`` first: the decoder input for teacher forcing.
    """
    size = max(v.size(0) for v in values)
    size = size if pad_to_length is None else max(size, pad_to_length)
    if pad_to_multiple != 1 and size % pad_to_multiple != 0:
        size = (size + pad_to_multiple - 1) // pad_to_multiple * pad_to_multiple
    out = values[0].new_full((len(values), size), pad_idx)
    for i, v in enumerate(values):
        dst = out[i, size - len(v) :] if left_pad else out[i, : len(v)]
        if move_eos_to_beginning:
            if eos_idx is None:
                dst[0] = v[-1]
            else:
                dst[0] = eos_idx
            dst[1:] = v[:-1]
        else:
            dst.copy_(v)
    return out
