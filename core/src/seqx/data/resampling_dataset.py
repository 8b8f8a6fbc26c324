"""``ResamplingDataset``: a new random sample of another dataset at every epoch.

fairseq's draw: ``numpy.random.RandomState([42, seed, epoch]).choice`` of
``ceil(len * size_ratio)`` indices, with or without replacement, weighted or uniform;
so a run resumed at an epoch sees the same sample as one that never stopped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from seqx.data.wrapper_dataset import BaseWrapperDataset


class ResamplingDataset(BaseWrapperDataset):
    """Examples of ``dataset`` drawn afresh each epoch (``weights``: their probabilities)."""

    def __init__(
        self,
        dataset: Any,
        weights: Sequence[float] | None = None,
        replace: bool = True,
        size_ratio: float = 1.0,
        batch_by_size: bool = True,
        seed: int = 0,
        epoch: int = 1,
    ) -> None:
        super().__init__(dataset)
        if size_ratio <= 0 or (not replace and size_ratio >= 1):
            raise ValueError(
                f"size_ratio must be above 0 (and below 1 without replacement): {size_ratio}"
            )
        self.weights = None
        if weights is not None:
            if len(weights) != len(dataset):
                raise ValueError(f"{len(weights)} weights for {len(dataset)} examples")
            array = np.asarray(weights, dtype=np.float64)
            self.weights = array / array.sum()
        self.replace, self.size_ratio = replace, float(size_ratio)
        self.actual_size = math.ceil(len(dataset) * self.size_ratio)
        self.batch_by_size, self.seed = batch_by_size, seed
        self.epoch: int | None = None
        self.indices = np.zeros(0, dtype=np.int64)
        self.set_epoch(epoch)

    def set_epoch(self, epoch: int) -> None:
        super().set_epoch(epoch)
        if epoch == self.epoch:
            return
        self.epoch = epoch
        rng = np.random.RandomState([42, self.seed % 2**32, epoch])
        self.indices = rng.choice(
            len(self.dataset), self.actual_size, replace=self.replace, p=self.weights
        )

    def __getitem__(self, index: int) -> Any:
        return self.dataset[int(self.indices[index])]

    def __len__(self) -> int:
        return self.actual_size

    @property
    def sizes(self) -> Any:
        return np.asarray(self.dataset.sizes)[self.indices]

    def num_tokens(self, index: int) -> int:
        return self.dataset.num_tokens(int(self.indices[index]))

    def num_tokens_vec(self, indices: np.ndarray) -> np.ndarray:
        return self.dataset.num_tokens_vec(self.indices[indices])

    def size(self, index: int) -> Any:
        return self.dataset.size(int(self.indices[index]))

    def ordered_indices(self) -> np.ndarray:
        if not self.batch_by_size:
            return np.arange(len(self))
        sizes = self.sizes
        primary = sizes[:, 0] if sizes.ndim > 1 else sizes
        return np.lexsort([np.arange(len(self)), primary])

    @property
    def can_reuse_epoch_itr_across_epochs(self) -> bool:
        return False
