"""The ``raw`` format: the text itself, encoded with the dictionary when loaded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from seqx.data.dataset_format import DatasetFormat
from seqx.data.dictionary import Dictionary
from seqx.data.lines import iter_lines


class RawDataset:
    """Every line of a text file, encoded (``</s>`` appended)."""

    def __init__(self, path: str, dictionary: Dictionary) -> None:
        import torch

        self.path = path
        self.tokens: list[Any] = []
        for line in iter_lines(path):
            ids = dictionary.encode_line(line, add_if_not_exist=False)
            self.tokens.append(torch.from_numpy(ids.numpy().astype(np.int64)))
        self.sizes = np.array([len(t) for t in self.tokens], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, index: int) -> Any:
        return self.tokens[int(index)]


class RawFormat(DatasetFormat):
    """Text files named like fairseq's raw data: ``PREFIX`` itself."""

    stores_text = True

    def files(self, prefix: str) -> list[str]:
        return [prefix]

    def load(self, prefix: str, dictionary: Dictionary) -> RawDataset:
        return RawDataset(prefix, dictionary)

    def write_text(self, prefix: str, lines: Iterable[str]) -> None:
        with open(prefix, "w", encoding="utf-8") as f:
            for line in lines:
                f.write(line.rstrip("\n") + "\n")
