"""``Dataset``: the interface batching and iteration rely on (fairseq's method names)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch.utils.data


class Dataset(torch.utils.data.Dataset):
    """A map-style dataset that knows its example sizes and how to collate a batch."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def collater(self, samples: list[Any]) -> dict[str, Any]:
        """Merge a list of examples into a batch."""
        raise NotImplementedError

    def num_tokens(self, index: int) -> int:
        """The cost of example ``index`` in tokens (what ``--max-tokens`` bounds)."""
        raise NotImplementedError

    def num_tokens_vec(self, indices: np.ndarray) -> np.ndarray:
        """``num_tokens`` of many examples at once."""
        return np.array([self.num_tokens(int(i)) for i in indices], dtype=np.int64)

    def size(self, index: int) -> Any:
        """The size of example ``index`` as checked against the model's max positions."""
        raise NotImplementedError

    def ordered_indices(self) -> np.ndarray:
        """Indices in the order batches are formed from (similar sizes together)."""
        return np.arange(len(self), dtype=np.int64)

    def set_epoch(self, epoch: int) -> None:
        """Called at the start of every epoch."""
