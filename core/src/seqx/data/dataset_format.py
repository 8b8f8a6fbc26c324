"""``DatasetFormat``: how a split of token sequences is stored on disk (``--dataset-impl``).

A format reads a *prefix* such as ``data-bin/train.de-en.de`` (its files are
``prefix + suffix``) into a :class:`TokenDataset`, and writes one, either from
encoded sequences (binary formats) or from text (``stores_text``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import numpy as np

from seqx.data.dictionary import Dictionary


class TokenDataset(Protocol):
    """Token sequences: ``ds[i]`` is a 1-D LongTensor, ``ds.sizes`` their lengths."""

    sizes: np.ndarray

    def __getitem__(self, index: int) -> Any: ...

    def __len__(self) -> int: ...


class DatasetWriter(Protocol):
    """Appends encoded sequences to a dataset being written."""

    def add_item(self, ids: np.ndarray) -> None:
        """Append one sequence of token ids."""

    def merge_file_(self, prefix: str) -> None:
        """Append every sequence of the dataset at ``prefix`` (written by a worker)."""

    def finalize(self) -> None:
        """Close the files; the dataset is complete once this returns."""


class DatasetFormat:
    """Base class of dataset formats; a plugin registers subclasses by name."""

    stores_text: bool = False
    """True when the format keeps text (preprocess copies the text, ``load`` encodes it)."""

    def __init__(self, cfg: Any = None) -> None:
        self.cfg = cfg

    def files(self, prefix: str) -> list[str]:
        """The files that make up the dataset at ``prefix``."""
        raise NotImplementedError

    def exists(self, prefix: str) -> bool:
        """Whether a complete dataset is stored at ``prefix``."""
        import os

        return all(os.path.exists(f) for f in self.files(prefix))

    def load(self, prefix: str, dictionary: Dictionary) -> TokenDataset:
        """Open the dataset at ``prefix``."""
        raise NotImplementedError

    def writer(self, prefix: str, vocab_size: int) -> DatasetWriter:
        """A writer for a binary dataset at ``prefix`` (not for ``stores_text`` formats)."""
        raise NotImplementedError(f"{type(self).__name__} stores text; use write_text")

    def write_text(self, prefix: str, lines: Iterable[str]) -> None:
        """Write the text of a ``stores_text`` dataset."""
        raise NotImplementedError(f"{type(self).__name__} is binary; use writer")
