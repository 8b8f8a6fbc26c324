"""``BaseWrapperDataset``: a dataset that changes another one and passes the rest through."""

from __future__ import annotations

from typing import Any

import numpy as np

from seqx.data.dataset import Dataset


class BaseWrapperDataset(Dataset):
    """Delegates every method to ``dataset``; subclasses override what they change."""

    def __init__(self, dataset: Any) -> None:
        self.dataset = dataset

    def __getitem__(self, index: int) -> Any:
        return self.dataset[index]

    def __len__(self) -> int:
        return len(self.dataset)

    @property  # type: ignore[override]
    def sizes(self) -> Any:
        return self.dataset.sizes

    def collater(self, samples: list[Any]) -> dict[str, Any]:
        return self.dataset.collater(samples)

    def num_tokens(self, index: int) -> int:
        return self.dataset.num_tokens(index)

    def num_tokens_vec(self, indices: np.ndarray) -> np.ndarray:
        return self.dataset.num_tokens_vec(indices)

    def size(self, index: int) -> Any:
        return self.dataset.size(index)

    def ordered_indices(self) -> np.ndarray:
        return self.dataset.ordered_indices()

    def set_epoch(self, epoch: int) -> None:
        if hasattr(self.dataset, "set_epoch"):
            self.dataset.set_epoch(epoch)

    @property
    def can_reuse_epoch_itr_across_epochs(self) -> bool:
        return bool(getattr(self.dataset, "can_reuse_epoch_itr_across_epochs", True))
