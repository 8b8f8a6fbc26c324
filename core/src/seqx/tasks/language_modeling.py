"""The built-in ``language_modeling`` task: predict each token of one language's text.

Reads a data folder made by ``seqx preprocess --only-source``: fairseq's
layout (``dict.txt``, ``train.bin``/``train.idx``, made without ``-s``) or,
with a language, ``dict.LANG.txt`` and ``train.LANG-None.LANG.*``.
"""

from __future__ import annotations

import os
from typing import Any

from seqx.data.concat_dataset import ConcatDataset
from seqx.data.dictionary import Dictionary
from seqx.data.folder import data_paths, load_dictionary, monolingual_language, split_parts
from seqx.data.monolingual_dataset import MonolingualDataset
from seqx.data.token_block_dataset import TokenBlockDataset
from seqx.errors import SeqxError
from seqx.tasks.language_modeling_config import LanguageModelingConfig
from seqx.tasks.task import Task


class LanguageModelingTask(Task):
    """Train a language model (fairseq's ``language_modeling``)."""

    def __init__(
        self,
        cfg: LanguageModelingConfig,
        dictionary: Dictionary,
        dataset_format: Any = None,
        lang: str | None = None,
    ) -> None:
        super().__init__(cfg)
        self.dictionary = dictionary
        self.dataset_format = dataset_format
        self.paths = data_paths(cfg.data)
        self.lang = lang
        """The language in the folder's file names (None: fairseq's ``dict.txt`` layout)."""

    @classmethod
    def setup_task(cls, cfg: LanguageModelingConfig, **kwargs: Any) -> LanguageModelingTask:
        path = data_paths(cfg.data)[0]
        lang = monolingual_language(path)
        dictionary = load_dictionary(path, lang)
        return cls(cfg, dictionary, kwargs.get("dataset_format"), lang=lang)

    @property
    def source_dictionary(self) -> Dictionary:
        return self.dictionary

    @property
    def target_dictionary(self) -> Dictionary:
        return self.dictionary

    def max_positions(self) -> int:
        limit = self.cfg.max_target_positions or self.cfg.tokens_per_sample
        return min(limit, self.cfg.tokens_per_sample)

    def has_sharded_data(self, split: str) -> bool:
        """Whether DATA names several shards (one per epoch)."""
        return len(self.paths) > 1 and split == "train"

    def split_prefixes(self, split: str, epoch: int = 1, combine: bool = False) -> list[str]:
        """The file prefixes of ``split`` in the (epoch's shard of the) data folder (with
        ``combine``: and of ``split1``, ``split2``, ... after it)."""
        if self.dataset_format is None:
            raise SeqxError("the language_modeling task was set up without a dataset format")
        path = self.paths[(epoch - 1) % len(self.paths)] if split == "train" else self.paths[0]

        def find(part: str) -> str | None:
            name = f"{part}.{self.lang}-None.{self.lang}" if self.lang else part
            prefix = os.path.join(path, name)
            return prefix if self.dataset_format.exists(prefix) else None

        parts = split_parts(split, combine, find)
        if not parts:
            name = f"{split}.{self.lang}-None.{self.lang}" if self.lang else split
            raise SeqxError(
                f"no '{split}' data in '{path}' (looked for {name}); check the split name and "
                "--dataset-impl"
            )
        return [prefix for _, prefix in parts]

    def load_dataset(
        self, split: str, epoch: int = 1, combine: bool = False, **kwargs: Any
    ) -> None:
        """Load ``split`` (with ``combine``: ``split1``, ``split2``, ... after it) as blocks
        of --tokens-per-sample."""
        parts = [
            self.dataset_format.load(prefix, self.dictionary)
            for prefix in self.split_prefixes(split, epoch, combine)
        ]
        ds = parts[0] if len(parts) == 1 else ConcatDataset(parts)
        if len(ds) == 0:
            raise SeqxError(f"split '{split}' of '{self.cfg.data}' is empty")
        blocks = TokenBlockDataset(
            ds,
            ds.sizes,
            self.cfg.tokens_per_sample,
            eos=self.dictionary.eos(),
            break_mode=self.cfg.sample_break_mode,
        )
        self.datasets[split] = MonolingualDataset(blocks, blocks.sizes, self.dictionary)
