"""``ConcatDataset``: datasets one after the other, each repeated ``sample_ratio`` times.

fairseq's layout and index map: example ``i`` of the whole is found by bisecting the
cumulative lengths, and an upsampled part repeats its examples in order. It holds token
sequences (``train``, ``train1``, ... of one side, as ``--upsample-primary`` joins them)
or whole examples (then the first part's ``collater`` collates).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import numpy as np

from seqx.data.dataset import Dataset


class ConcatDataset(Dataset):
    """``datasets`` concatenated; part ``k`` is repeated ``sample_ratios[k]`` times."""

    def __init__(self, datasets: Sequence[Any], sample_ratios: int | Sequence[int] = 1) -> None:
        if not datasets:
            raise ValueError("ConcatDataset needs at least one dataset")
        self.datasets = list(datasets)
        ratios = (
            [sample_ratios] * len(datasets) if isinstance(sample_ratios, int) else sample_ratios
        )
        if len(ratios) != len(self.datasets) or any(int(r) != r or r < 1 for r in ratios):
            raise ValueError(f"sample_ratios must be one whole number >= 1 per dataset: {ratios}")
        self.sample_ratios = [int(r) for r in ratios]
        self.real_sizes = [len(d) for d in self.datasets]
        self.cumulative_sizes = np.cumsum(
            [n * r for n, r in zip(self.real_sizes, self.sample_ratios)]
        ).tolist()
        self.sizes = np.concatenate(
            [np.tile(np.asarray(d.sizes), (r,) + (1,) * (np.ndim(d.sizes) - 1))
             for d, r in zip(self.datasets, self.sample_ratios)]
        )  # fmt: skip

    def __len__(self) -> int:
        return int(self.cumulative_sizes[-1])

    def locate(self, index: int) -> tuple[int, int]:
        """The part that holds example ``index`` and the index within that part."""
        part = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[part - 1] if part else 0
        return part, (index - start) % self.real_sizes[part]

    def __getitem__(self, index: int) -> Any:
        part, inner = self.locate(int(index))
        return self.datasets[part][inner]

    def collater(self, samples: list[Any]) -> dict[str, Any]:
        return self.datasets[0].collater(samples)

    def size(self, index: int) -> Any:
        part, inner = self.locate(int(index))
        dataset = self.datasets[part]
        return dataset.size(inner) if hasattr(dataset, "size") else dataset.sizes[inner]

    def num_tokens(self, index: int) -> int:
        return int(np.max(self.size(index)))

    def num_tokens_vec(self, indices: np.ndarray) -> np.ndarray:
        sizes = self.sizes[indices]
        return sizes.max(axis=1) if sizes.ndim > 1 else sizes

    def ordered_indices(self) -> np.ndarray:
        """By length: source length primary, target length breaking ties (fairseq's)."""
        if self.sizes.ndim > 1:
            indices = np.argsort(self.sizes[:, 1], kind="mergesort")
            return indices[np.argsort(self.sizes[indices, 0], kind="mergesort")]
        return np.argsort(self.sizes)

    def set_epoch(self, epoch: int) -> None:
        for dataset in self.datasets:
            if hasattr(dataset, "set_epoch"):
                dataset.set_epoch(epoch)

    @property
    def can_reuse_epoch_itr_across_epochs(self) -> bool:
        return all(getattr(d, "can_reuse_epoch_itr_across_epochs", True) for d in self.datasets)
