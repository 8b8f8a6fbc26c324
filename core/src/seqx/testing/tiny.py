"""Tiny tasks and batches for model tests."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import torch

from seqx.data.dictionary import Dictionary
from seqx.data.language_pair_dataset import collate
from seqx.tasks.task import Task


def tiny_dictionary(size: int = 24, prefix: str = "w") -> Dictionary:
    """A dictionary of ``size`` symbols (4 special ones included)."""
    d = Dictionary()
    for i in range(size - d.nspecial):
        d.add_symbol(f"{prefix}{i}")
    return d


class TinyTask(Task):
    """What ``build_model`` reads from a translation task: its dictionaries, its options
    and its position limits."""

    def __init__(self, vocab_size: int = 24, shared: bool = True) -> None:
        # the translation task's options a model may read (fairseq models read args.*)
        super().__init__(
            SimpleNamespace(
                left_pad_source=True,
                left_pad_target=False,
                max_source_positions=1024,
                max_target_positions=1024,
            )
        )
        self._source = tiny_dictionary(vocab_size)
        self._target = self._source if shared else tiny_dictionary(vocab_size, prefix="t")

    @property
    def source_dictionary(self) -> Dictionary:
        return self._source

    @property
    def target_dictionary(self) -> Dictionary:
        return self._target

    def max_positions(self) -> tuple[int, int]:
        return self.cfg.max_source_positions, self.cfg.max_target_positions


def tiny_batch(
    task: TinyTask,
    src_lengths: list[int],
    tgt_length: int,
    seed: int = 0,
    left_pad_source: bool = True,
) -> dict[str, Any]:
    """A collated batch of random sentences (sources of the given lengths, eos included)."""
    g = torch.Generator().manual_seed(seed)
    src_dict, tgt_dict = task.source_dictionary, task.target_dictionary
    samples = []
    for i, n in enumerate(src_lengths):
        src = torch.randint(src_dict.nspecial, len(src_dict), (n,), generator=g)
        src[-1] = src_dict.eos()
        tgt = torch.randint(tgt_dict.nspecial, len(tgt_dict), (tgt_length,), generator=g)
        tgt[-1] = tgt_dict.eos()
        samples.append({"id": i, "source": src, "target": tgt})
    return collate(samples, src_dict.pad(), src_dict.eos(), left_pad_source=left_pad_source)
