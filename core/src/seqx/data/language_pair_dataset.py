"""``LanguagePairDataset``: aligned source and target token sequences.

A batch (from :meth:`LanguagePairDataset.collater`) is laid out as in
fairseq: ``id``, ``nsentences``, ``ntokens`` (target tokens),
``net_input`` = {``src_tokens``, ``src_lengths``, ``prev_output_tokens``}
and ``target``, sorted by source length, longest first.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from seqx.data.batching import ordered_by_size
from seqx.data.collate import collate_tokens
from seqx.data.dataset import Dataset
from seqx.data.dictionary import Dictionary


def collate(
    samples: list[dict[str, Any]],
    pad_idx: int,
    eos_idx: int,
    left_pad_source: bool = True,
    left_pad_target: bool = False,
    input_feeding: bool = True,
) -> dict[str, Any]:
    """Merge examples ``{"id", "source", "target"}`` into a batch."""
    if not samples:
        return {}

    def merge(key: str, left_pad: bool, move_eos_to_beginning: bool = False) -> torch.Tensor:
        return collate_tokens(
            [s[key] for s in samples], pad_idx, eos_idx, left_pad, move_eos_to_beginning
        )

    ids = torch.tensor([s["id"] for s in samples], dtype=torch.long)
    src_tokens = merge("source", left_pad_source)
    src_lengths = torch.tensor([s["source"].numel() for s in samples], dtype=torch.long)
    src_lengths, order = src_lengths.sort(descending=True, stable=True)
    batch: dict[str, Any] = {
        "id": ids.index_select(0, order),
        "nsentences": len(samples),
        "net_input": {
            "src_tokens": src_tokens.index_select(0, order),
            "src_lengths": src_lengths,
        },
    }
    if samples[0].get("target") is not None:
        target = merge("target", left_pad_target).index_select(0, order)
        batch["target"] = target
        batch["ntokens"] = int(sum(s["target"].numel() for s in samples))
        if input_feeding:
            prev = merge("target", left_pad_target, move_eos_to_beginning=True)
            batch["net_input"]["prev_output_tokens"] = prev.index_select(0, order)
    else:
        batch["ntokens"] = int(src_lengths.sum())
    return batch


class LanguagePairDataset(Dataset):
    """Pairs of source and target sentences (the target may be absent, for generation)."""

    def __init__(
        self,
        src: Any,
        src_sizes: np.ndarray,
        src_dict: Dictionary,
        tgt: Any = None,
        tgt_sizes: np.ndarray | None = None,
        tgt_dict: Dictionary | None = None,
        *,
        left_pad_source: bool = True,
        left_pad_target: bool = False,
        shuffle: bool = True,
        input_feeding: bool = True,
        append_eos_to_target: bool = False,
    ) -> None:
        if tgt is not None and len(src) != len(tgt):
            raise ValueError(f"source and target differ in length: {len(src)} vs {len(tgt)}")
        self.src, self.tgt = src, tgt
        self.src_sizes = np.asarray(src_sizes, dtype=np.int64)
        self.tgt_sizes = None if tgt_sizes is None else np.asarray(tgt_sizes, dtype=np.int64)
        self.src_dict, self.tgt_dict = src_dict, tgt_dict
        self.left_pad_source, self.left_pad_target = left_pad_source, left_pad_target
        self.shuffle = shuffle
        self.input_feeding = input_feeding
        self.append_eos_to_target = append_eos_to_target
        self.epoch = 1
        self.sizes = (
            np.vstack((self.src_sizes, self.tgt_sizes)).T
            if self.tgt_sizes is not None
            else self.src_sizes
        )

    def __getitem__(self, index: int) -> dict[str, Any]:
        source = self.src[index]
        target = self.tgt[index] if self.tgt is not None else None
        if target is not None and self.append_eos_to_target and self.tgt_dict is not None:
            eos = self.tgt_dict.eos()
            if target[-1] != eos:
                target = torch.cat([target, target.new_tensor([eos])])
        return {"id": index, "source": source, "target": target}

    def __len__(self) -> int:
        return len(self.src_sizes)

    def collater(self, samples: list[dict[str, Any]]) -> dict[str, Any]:
        return collate(
            samples,
            pad_idx=self.src_dict.pad(),
            eos_idx=self.src_dict.eos(),
            left_pad_source=self.left_pad_source,
            left_pad_target=self.left_pad_target,
            input_feeding=self.input_feeding,
        )

    def num_tokens(self, index: int) -> int:
        tgt = self.tgt_sizes[index] if self.tgt_sizes is not None else 0
        return int(max(self.src_sizes[index], tgt))

    def num_tokens_vec(self, indices: np.ndarray) -> np.ndarray:
        sizes = self.src_sizes[indices]
        if self.tgt_sizes is not None:
            sizes = np.maximum(sizes, self.tgt_sizes[indices])
        return sizes

    def size(self, index: int) -> tuple[int, int]:
        tgt = self.tgt_sizes[index] if self.tgt_sizes is not None else 0
        return int(self.src_sizes[index]), int(tgt)

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def ordered_indices(self) -> np.ndarray:
        """Shuffled (numpy's global RNG: see ``numpy_seed``), then stably sorted by length."""
        keys = [self.src_sizes] if self.tgt_sizes is None else [self.tgt_sizes, self.src_sizes]
        return ordered_by_size(len(self), self.shuffle, *keys)
