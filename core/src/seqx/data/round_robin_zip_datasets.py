"""``RoundRobinZipDatasets``: several named datasets zipped, the shorter ones repeated.

Example ``i`` is one example of every dataset (``{key: example}``) and a batch is one
batch per key, as a multilingual task trains on; with ``eval_key`` it passes that one
dataset's examples and batches through. Each dataset keeps its own length order and
its own filtering by size (fairseq's behaviour).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from seqx.data.dataset import Dataset


class RoundRobinZipDatasets(Dataset):
    """``datasets`` (name -> dataset) zipped to the length of the longest."""

    def __init__(self, datasets: Mapping[str, Any], eval_key: str | None = None) -> None:
        if not datasets:
            raise ValueError("RoundRobinZipDatasets needs at least one dataset")
        if eval_key is not None and eval_key not in datasets:
            raise ValueError(f"eval_key '{eval_key}' is not one of {list(datasets)}")
        self.datasets = OrderedDict(datasets)
        self.eval_key = eval_key
        self.longest_key = max(self.datasets, key=lambda k: len(self.datasets[k]))
        self.orders: dict[str, np.ndarray] | None = None

    def _map_index(self, key: str, index: int) -> int:
        if self.orders is None:
            raise RuntimeError("call ordered_indices() before reading RoundRobinZipDatasets")
        order = self.orders[key]
        return int(order[index % len(order)])

    def __getitem__(self, index: int) -> Any:
        if self.eval_key is not None:
            return self.datasets[self.eval_key][self._map_index(self.eval_key, index)]
        return OrderedDict(
            (key, ds[self._map_index(key, index)]) for key, ds in self.datasets.items()
        )

    def __len__(self) -> int:
        if self.orders is not None:
            return len(self.orders[self.longest_key])
        return len(self.datasets[self.longest_key])

    def collater(self, samples: list[Any]) -> Any:
        if not samples:
            return None
        if self.eval_key is not None:
            return self.datasets[self.eval_key].collater(samples)
        return OrderedDict(
            (key, ds.collater([s[key] for s in samples])) for key, ds in self.datasets.items()
        )

    def num_tokens(self, index: int) -> int:
        return max(ds.num_tokens(self._map_index(k, index)) for k, ds in self.datasets.items())

    def size(self, index: int) -> dict[str, Any]:
        return {k: ds.size(self._map_index(k, index)) for k, ds in self.datasets.items()}

    @property  # type: ignore[override]
    def sizes(self) -> np.ndarray:
        return np.array([self.num_tokens(i) for i in range(len(self))], dtype=np.int64)

    def ordered_indices(self) -> np.ndarray:
        if self.orders is None:
            self.orders = {k: ds.ordered_indices() for k, ds in self.datasets.items()}
        return np.arange(len(self))

    def filter_indices_by_size(
        self,
        indices: np.ndarray,
        max_positions: Any,
        *,
        skip: bool,
        describe: Callable[[int], str] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Filter each dataset's own order (``max_positions``: one for all, or per key)."""
        if self.orders is None:
            self.ordered_indices()
        assert self.orders is not None
        ignored_any: list[np.ndarray] = []
        for key, ds in self.datasets.items():
            limits = max_positions[key] if isinstance(max_positions, Mapping) else max_positions
            kept, ignored = ds.filter_indices_by_size(
                self.orders[key], limits, skip=skip, describe=lambda i, k=key: f"{k} example {i}"
            )
            self.orders[key] = kept
            ignored_any.append(ignored)
        return np.arange(len(self)), np.concatenate(ignored_any)

    def set_epoch(self, epoch: int) -> None:
        for ds in self.datasets.values():
            if hasattr(ds, "set_epoch"):
                ds.set_epoch(epoch)
