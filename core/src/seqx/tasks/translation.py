"""The built-in ``translation`` task: a data folder of two languages."""

from __future__ import annotations

import os
from typing import Any

from seqx.data.concat_dataset import ConcatDataset
from seqx.data.dictionary import Dictionary
from seqx.data.folder import (
    data_paths,
    folder_pipeline,
    language_pair,
    load_dictionary,
    read_manifest,
    split_parts,
)
from seqx.data.language_pair_dataset import LanguagePairDataset
from seqx.errors import SeqxError
from seqx.tasks.task import Task
from seqx.tasks.translation_config import TranslationConfig


class TranslationTask(Task):
    """Translate from ``source_lang`` to ``target_lang`` (fairseq's ``translation``)."""

    def __init__(
        self,
        cfg: TranslationConfig,
        src_dict: Dictionary,
        tgt_dict: Dictionary,
        dataset_format: Any = None,
    ) -> None:
        super().__init__(cfg)
        self.src_dict, self.tgt_dict = src_dict, tgt_dict
        self.dataset_format = dataset_format
        self.paths = data_paths(cfg.data)
        self.manifest = read_manifest(self.paths[0])
        self.bleu: Any = None

    @classmethod
    def setup_task(cls, cfg: TranslationConfig, **kwargs: Any) -> TranslationTask:
        paths = data_paths(cfg.data)
        src, tgt = cfg.source_lang, cfg.target_lang
        if src is None or tgt is None:
            pair = language_pair(paths[0])
            src, tgt = src or pair[0], tgt or pair[1]
        cfg.source_lang, cfg.target_lang = src, tgt
        src_dict = load_dictionary(paths[0], src)
        tgt_dict = load_dictionary(paths[0], tgt)
        for name in ("pad", "eos", "unk"):
            if getattr(src_dict, name)() != getattr(tgt_dict, name)():
                raise SeqxError(f"dict.{src}.txt and dict.{tgt}.txt disagree on the {name} index")
        return cls(cfg, src_dict, tgt_dict, kwargs.get("dataset_format"))

    @classmethod
    def load_dictionary(cls, path: str) -> Dictionary:
        """Load a dictionary file (fairseq's classmethod)."""
        return Dictionary.load(path)

    @property
    def source_dictionary(self) -> Dictionary:
        return self.src_dict

    @property
    def target_dictionary(self) -> Dictionary:
        return self.tgt_dict

    def max_positions(self) -> tuple[int, int]:
        return self.cfg.max_source_positions, self.cfg.max_target_positions

    def has_sharded_data(self, split: str) -> bool:
        """Whether DATA names several shards (one per epoch)."""
        return len(self.paths) > 1 and split == "train"

    def split_prefixes(self, split: str, epoch: int = 1, combine: bool = False) -> list[str]:
        """The file prefixes of ``split`` (with ``combine``: and of ``split1``, ``split2``,
        ... after it), each stored source-target or target-source."""
        if self.dataset_format is None:
            raise SeqxError("the translation task was set up without a dataset format")
        path = self.paths[(epoch - 1) % len(self.paths)] if split == "train" else self.paths[0]
        src, tgt = self.cfg.source_lang, self.cfg.target_lang

        def find(name: str) -> str | None:
            for a, b in ((src, tgt), (tgt, src)):
                prefix = os.path.join(path, f"{name}.{a}-{b}.")
                if all(self.dataset_format.exists(prefix + lang) for lang in (src, tgt)):
                    return prefix
            return None

        parts = split_parts(split, combine, find)
        if not parts:
            raise SeqxError(
                f"no '{split}' data for {src}-{tgt} in '{path}' (looked for {split}.{src}-"
                f"{tgt}.{src} and .{tgt}); check the split name, the languages (-s/-t) and "
                "--dataset-impl"
            )
        return [prefix for _, prefix in parts]

    def load_dataset(
        self, split: str, epoch: int = 1, combine: bool = False, **kwargs: Any
    ) -> None:
        """Load ``split``; with ``combine`` (training), ``split1``, ``split2``, ... too,
        concatenated after it, the first repeated --upsample-primary times."""
        src, tgt = self.cfg.source_lang, self.cfg.target_lang
        sides: tuple[list[Any], list[Any]] = ([], [])
        for prefix in self.split_prefixes(split, epoch, combine):
            src_ds = self.dataset_format.load(prefix + src, self.src_dict)
            tgt_ds = self.dataset_format.load(prefix + tgt, self.tgt_dict)
            if len(src_ds) != len(tgt_ds):
                raise SeqxError(
                    f"'{prefix}{src}' has {len(src_ds)} sentences but '{prefix}{tgt}' has "
                    f"{len(tgt_ds)}"
                )
            sides[0].append(src_ds)
            sides[1].append(tgt_ds)
        src_ds, tgt_ds = (self._joined(datasets) for datasets in sides)
        self.datasets[split] = LanguagePairDataset(
            src_ds,
            src_ds.sizes,
            self.src_dict,
            tgt_ds,
            tgt_ds.sizes,
            self.tgt_dict,
            left_pad_source=self.cfg.left_pad_source,
            left_pad_target=self.cfg.left_pad_target,
        )

    def _joined(self, datasets: list[Any]) -> Any:
        if len(datasets) == 1:
            return datasets[0]
        ratios = [self.cfg.upsample_primary] + [1] * (len(datasets) - 1)
        return ConcatDataset(datasets, ratios)

    # -- --eval-bleu -------------------------------------------------------------------

    def build_model(self, cfg: Any, model_cls: type) -> Any:
        model = super().build_model(cfg, model_cls)
        if self.cfg.eval_bleu:
            self.bleu = self._bleu_evaluator()
        return model

    def _bleu_evaluator(self) -> Any:
        from seqx.plugins import get_registry
        from seqx.tasks.eval_bleu import BleuEvaluator

        registry = get_registry()
        pipeline = folder_pipeline(registry, self.paths[0], self.cfg.target_lang)
        detok = None
        if self.cfg.eval_bleu_detok not in ("space", "none", ""):
            entry = registry.get("tokenizer", self.cfg.eval_bleu_detok)
            cls = entry.load_config()
            detok_cfg = cls(target_lang=self.cfg.target_lang) if cls is not None else None
            detok = entry.load()(detok_cfg)
        return BleuEvaluator(self.cfg, self.tgt_dict, pipeline, detok)

    def valid_step(self, sample: dict[str, Any], model: Any, criterion: Any) -> Any:
        loss, sample_size, log = super().valid_step(sample, model, criterion)
        if self.bleu is not None:
            log.update(self.bleu.stats(model, sample))
        return loss, sample_size, log

    def reduce_metrics(
        self, logging_outputs: list[dict[str, Any]], criterion: Any
    ) -> dict[str, float]:
        stats = super().reduce_metrics(logging_outputs, criterion)
        if self.bleu is not None:
            from seqx.tasks.eval_bleu import bleu_from_sums

            bleu = bleu_from_sums(logging_outputs)
            if bleu is not None:
                stats["bleu"] = bleu
        return stats
