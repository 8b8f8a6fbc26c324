"""``Dataset``: the interface batching and iteration rely on (fairseq's method names)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch.utils.data

from seqx.data.batching import filter_by_size


class Dataset(torch.utils.data.Dataset):
    """A map-style dataset that knows its example sizes and how to collate a batch."""

    sizes: Any
    """The size of every example (a column per limit of ``max_positions``)."""

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

    @property
    def can_reuse_epoch_itr_across_epochs(self) -> bool:
        """False when the examples or their order change with the epoch (a resampled
        dataset): training then forms new batches at every epoch."""
        return True

    def filter_indices_by_size(
        self,
        indices: np.ndarray,
        max_positions: tuple[int | None, ...],
        *,
        skip: bool,
        describe: Callable[[int], str] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``indices`` whose size fits ``max_positions`` and the ignored ones; without
        ``skip``, an example that does not fit is an error (see ``filter_by_size``)."""
        return filter_by_size(indices, self.sizes, max_positions, skip=skip, describe=describe)
