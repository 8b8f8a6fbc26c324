"""Iterating over batches epoch by epoch, resumably.

:class:`EpochBatchIterator` shuffles the (frozen) batches every epoch with
``seed + epoch``, gives each distributed rank its shard of them, loads them
through a DataLoader (``num_workers``), and records its position in a
``state_dict`` so that training resumes mid-epoch on the very next batch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import torch.utils.data


class CountingIterator:
    """Wraps an iterable and counts the items consumed (``n``), from ``start``."""

    def __init__(self, iterable: Iterable[Any], start: int = 0, total: int | None = None):
        self._it = iter(iterable)
        self.n = start
        self.total = total

    def __len__(self) -> int:
        if self.total is None:
            raise TypeError("length unknown")
        return self.total

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        if not self.has_next():
            raise StopIteration
        item = next(self._it)
        self.n += 1
        return item

    def has_next(self) -> bool:
        """Whether more items remain."""
        return self.total is None or self.n < self.total


def shard_batches(
    batches: Sequence[np.ndarray], num_shards: int, shard_id: int
) -> list[np.ndarray]:
    """Every ``num_shards``-th batch from ``shard_id``, padded with empty batches so that
    all shards have the same count (ranks must take the same number of steps)."""
    if num_shards == 1:
        return list(batches)
    per_shard = math.ceil(len(batches) / num_shards)
    mine = list(batches[shard_id::num_shards])
    empty = np.zeros(0, dtype=np.int64)
    return mine + [empty] * (per_shard - len(mine))


class EpochBatchIterator:
    """Batches of ``dataset`` for many epochs, with shuffling, sharding and resume."""

    def __init__(
        self,
        dataset: torch.utils.data.Dataset,
        collate_fn: Callable[[list[Any]], Any],
        batch_sampler: Sequence[np.ndarray] | Callable[[int], Sequence[np.ndarray]],
        *,
        seed: int = 1,
        num_shards: int = 1,
        shard_id: int = 0,
        num_workers: int = 0,
        epoch: int = 1,
        disable_shuffling: bool = False,
    ) -> None:
        if not 0 <= shard_id < num_shards:
            raise ValueError(f"shard_id {shard_id} is not in [0, {num_shards})")
        self.dataset = dataset
        self.collate_fn = collate_fn
        self.batch_sampler = batch_sampler
        self.seed = seed
        self.num_shards = num_shards
        self.shard_id = shard_id
        self.num_workers = num_workers
        self.disable_shuffling = disable_shuffling
        self.epoch = max(epoch, 1)
        self.shuffle = not disable_shuffling
        self._frozen: list[np.ndarray] | None = None
        self._frozen_epoch: int | None = None
        self._cur_epoch_itr: CountingIterator | None = None
        self._next_epoch_itr: CountingIterator | None = None

    def frozen_batches(self, epoch: int) -> list[np.ndarray]:
        """The epoch's batches before shuffling (per epoch when the sampler is callable)."""
        if callable(self.batch_sampler):
            if self._frozen is None or self._frozen_epoch != epoch:
                self._frozen = list(self.batch_sampler(epoch))
                self._frozen_epoch = epoch
        elif self._frozen is None:
            self._frozen = list(self.batch_sampler)
        return self._frozen

    def __len__(self) -> int:
        return math.ceil(len(self.frozen_batches(self.epoch)) / self.num_shards)

    @property
    def next_epoch_idx(self) -> int:
        """The epoch that ``next_epoch_itr`` will start (or continue)."""
        if self._next_epoch_itr is not None:
            return self.epoch
        if self._cur_epoch_itr is not None and self.end_of_epoch():
            return self.epoch + 1
        return self.epoch

    def next_epoch_itr(self, shuffle: bool = True) -> CountingIterator:
        """The iterator over the next epoch's batches (resumed mid-epoch after a restore)."""
        shuffle = shuffle and not self.disable_shuffling
        self.epoch = self.next_epoch_idx
        if hasattr(self.dataset, "set_epoch"):
            self.dataset.set_epoch(self.epoch)
        if self._next_epoch_itr is not None:
            self._cur_epoch_itr, self._next_epoch_itr = self._next_epoch_itr, None
        else:
            self._cur_epoch_itr = self._iterator(self.epoch, shuffle)
        self.shuffle = shuffle
        return self._cur_epoch_itr

    def end_of_epoch(self) -> bool:
        """Whether the current epoch's batches are exhausted."""
        return self._cur_epoch_itr is None or not self._cur_epoch_itr.has_next()

    @property
    def iterations_in_epoch(self) -> int:
        """Batches consumed in the current epoch."""
        if self._cur_epoch_itr is not None:
            return self._cur_epoch_itr.n
        if self._next_epoch_itr is not None:
            return self._next_epoch_itr.n
        return 0

    def state_dict(self) -> dict[str, Any]:
        """Position to resume from: plain data."""
        if self._cur_epoch_itr is not None and self.end_of_epoch():
            return {"epoch": self.epoch + 1, "iterations_in_epoch": 0, "shuffle": self.shuffle}
        return {
            "epoch": self.epoch,
            "iterations_in_epoch": self.iterations_in_epoch,
            "shuffle": self.shuffle,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Resume at ``state``'s epoch and batch."""
        self.epoch = int(state["epoch"])
        offset = int(state.get("iterations_in_epoch", 0))
        self._cur_epoch_itr = None
        self._next_epoch_itr = None
        if offset > 0:
            self._next_epoch_itr = self._iterator(
                self.epoch, bool(state.get("shuffle", True)), offset=offset
            )

    def _iterator(self, epoch: int, shuffle: bool, offset: int = 0) -> CountingIterator:
        batches = list(self.frozen_batches(epoch))
        if shuffle:
            rng = np.random.default_rng([self.seed, epoch])
            batches = [batches[i] for i in rng.permutation(len(batches))]
        batches = shard_batches(batches, self.num_shards, self.shard_id)
        total = len(batches)
        offset = min(offset, total)
        # the loader draws its workers' seeds from its own generator, not from torch's
        # global one, so that starting an iterator (a validation, a resume) leaves the
        # training's random stream as it was
        generator = torch.Generator().manual_seed(self.seed * 100_003 + epoch)
        loader = torch.utils.data.DataLoader(
            self.dataset,
            collate_fn=self.collate_fn,
            batch_sampler=[b.tolist() for b in batches[offset:]],
            num_workers=self.num_workers,
            persistent_workers=False,
            generator=generator,
            worker_init_fn=ignore_stop_signals if self.num_workers else None,
        )
        return CountingIterator(loader, start=offset, total=total)


def ignore_stop_signals(worker_id: int) -> None:
    """A DataLoader worker leaves SIGINT and SIGTERM to the main process.

    Schedulers, ``timeout`` and a terminal's Ctrl-C signal the whole process group; a
    worker dying on the signal would end the run with a traceback (or an exception
    raised at any point of an update) before the main process could save. So a worker
    ignores SIGINT, and SIGTERM from anyone but its parent: a thread waits for SIGTERM
    and ends the worker only when the main process sent it (as it does to stop its
    workers).
    """
    import os
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})

    def watch() -> None:
        while True:
            if signal.sigwaitinfo({signal.SIGTERM}).si_pid == parent:
                os._exit(128 + signal.SIGTERM)

    threading.Thread(target=watch, name="seqx-sigterm", daemon=True).start()


class GroupedIterator:
    """Groups consecutive items into lists of ``chunk_size`` (``--update-freq``)."""

    def __init__(self, iterable: CountingIterator, chunk_size: int) -> None:
        self.itr = iterable
        self.chunk_size = chunk_size

    def __len__(self) -> int:
        return math.ceil(len(self.itr) / self.chunk_size)

    def __iter__(self) -> Iterator[list[Any]]:
        return self

    def __next__(self) -> list[Any]:
        chunk = []
        for _ in range(self.chunk_size):
            if not self.itr.has_next():
                break
            chunk.append(next(self.itr))
        if not chunk:
            raise StopIteration
        return chunk
