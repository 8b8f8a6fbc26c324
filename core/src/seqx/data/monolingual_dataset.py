"""``MonolingualDataset``: blocks of one language, batched for a language model.

A batch (from :meth:`MonolingualDataset.collater`) is laid out as in fairseq:
``id``, ``nsentences``, ``ntokens`` (target tokens), ``net_input`` =
{``src_tokens``, ``src_lengths``} and ``target``, both right-padded: the
model reads ``src_tokens`` and predicts ``target`` position by position.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from seqx.data.batching import ordered_by_size
from seqx.data.collate import collate_tokens
from seqx.data.dataset import Dataset
from seqx.data.dictionary import Dictionary


class MonolingualDataset(Dataset):
    """Wraps a dataset of ``(source, target)`` blocks (a ``TokenBlockDataset``)."""

    def __init__(
        self, dataset: Any, sizes: np.ndarray, dictionary: Dictionary, shuffle: bool = True
    ) -> None:
        self.dataset = dataset
        self.sizes = np.asarray(sizes, dtype=np.int64)
        self.dictionary = dictionary
        self.shuffle = shuffle
        self.epoch = 1

    def __getitem__(self, index: int) -> dict[str, Any]:
        source, target = self.dataset[index]
        return {"id": index, "source": source, "target": target}

    def __len__(self) -> int:
        return len(self.sizes)

    def collater(self, samples: list[dict[str, Any]]) -> dict[str, Any]:
        if not samples:
            return {}
        pad, eos = self.dictionary.pad(), self.dictionary.eos()
        src = collate_tokens([s["source"] for s in samples], pad, eos)
        target = collate_tokens([s["target"] for s in samples], pad, eos)
        return {
            "id": torch.tensor([s["id"] for s in samples], dtype=torch.long),
            "nsentences": len(samples),
            "ntokens": int(sum(s["target"].numel() for s in samples)),
            "net_input": {
                "src_tokens": src,
                "src_lengths": torch.tensor(
                    [s["source"].numel() for s in samples], dtype=torch.long
                ),
            },
            "target": target,
        }

    def num_tokens(self, index: int) -> int:
        return int(self.sizes[index])

    def num_tokens_vec(self, indices: np.ndarray) -> np.ndarray:
        return self.sizes[indices]

    def size(self, index: int) -> int:
        return int(self.sizes[index])

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def ordered_indices(self) -> np.ndarray:
        """Shuffled (numpy's global RNG: see ``numpy_seed``), then stably sorted by size."""
        return ordered_by_size(len(self), self.shuffle, self.sizes)
