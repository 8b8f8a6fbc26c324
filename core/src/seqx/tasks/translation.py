"""The built-in ``translation`` task: a data folder of two languages."""

from __future__ import annotations

import json
import os
from typing import Any

from seqx.data.dictionary import Dictionary
from seqx.data.language_pair_dataset import LanguagePairDataset
from seqx.errors import SeqxError
from seqx.tasks.task import Task
from seqx.tasks.translation_config import TranslationConfig

MANIFEST = "preprocess.json"


def read_manifest(path: str) -> dict[str, Any]:
    """The ``preprocess.json`` of a data folder ({} when absent, e.g. fairseq's data-bin)."""
    manifest = os.path.join(path, MANIFEST)
    if not os.path.isfile(manifest):
        return {}
    try:
        with open(manifest, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as exc:
        raise SeqxError(f"cannot read '{manifest}': {exc}") from None


def infer_language_pair(path: str) -> tuple[str, str] | None:
    """The (source, target) of files named ``SPLIT.SRC-TGT.LANG`` in ``path``."""
    for name in sorted(os.listdir(path)):
        parts = name.split(".")
        if len(parts) >= 3 and len(parts[1].split("-")) == 2:
            src, tgt = parts[1].split("-")
            if src and tgt and tgt != "None":
                return src, tgt
    return None


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
            manifest = read_manifest(paths[0])
            pair = (
                (manifest.get("source_lang"), manifest.get("target_lang"))
                if manifest.get("target_lang")
                else infer_language_pair(paths[0])
            )
            if pair is None:
                raise SeqxError(
                    f"cannot infer the language pair of data folder '{paths[0]}' (no file "
                    "named SPLIT.SRC-TGT.LANG): give -s/--source-lang and -t/--target-lang"
                )
            src, tgt = src or pair[0], tgt or pair[1]
        assert src is not None and tgt is not None
        cfg.source_lang, cfg.target_lang = src, tgt
        src_dict = cls.load_dictionary(os.path.join(paths[0], f"dict.{src}.txt"), src)
        tgt_dict = cls.load_dictionary(os.path.join(paths[0], f"dict.{tgt}.txt"), tgt)
        for name in ("pad", "eos", "unk"):
            if getattr(src_dict, name)() != getattr(tgt_dict, name)():
                raise SeqxError(f"dict.{src}.txt and dict.{tgt}.txt disagree on the {name} index")
        return cls(cfg, src_dict, tgt_dict, kwargs.get("dataset_format"))

    @classmethod
    def load_dictionary(cls, path: str, lang: str) -> Dictionary:
        """Load ``dict.LANG.txt``; a missing one names the language pair to check."""
        if not os.path.isfile(path):
            folder = os.path.dirname(path) or "."
            pairs = sorted(
                {n.split(".")[1] for n in os.listdir(folder) if n.count(".") >= 2}
                if os.path.isdir(folder)
                else set()
            )
            hint = f" (the folder holds: {', '.join(pairs)})" if pairs else ""
            raise SeqxError(
                f"dictionary '{path}' does not exist: is '{lang}' a language of this data "
                f"folder?{hint}"
            )
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

    def split_prefix(self, split: str, epoch: int = 1) -> tuple[str, bool]:
        """The file prefix of ``split`` and whether it is stored source-target."""
        if self.dataset_format is None:
            raise SeqxError("the translation task was set up without a dataset format")
        path = self.paths[(epoch - 1) % len(self.paths)] if split == "train" else self.paths[0]
        src, tgt = self.cfg.source_lang, self.cfg.target_lang
        for a, b in ((src, tgt), (tgt, src)):
            prefix = os.path.join(path, f"{split}.{a}-{b}.")
            if self.dataset_format.exists(prefix + src) and self.dataset_format.exists(
                prefix + tgt
            ):
                return prefix, True
        raise SeqxError(
            f"no '{split}' data for {src}-{tgt} in '{path}' (looked for {split}.{src}-{tgt}."
            f"{src} and .{tgt}); check the split name, the languages (-s/-t) and "
            "--dataset-impl"
        )

    def load_dataset(
        self, split: str, epoch: int = 1, combine: bool = False, **kwargs: Any
    ) -> None:
        prefix, _ = self.split_prefix(split, epoch)
        src_ds = self.dataset_format.load(prefix + self.cfg.source_lang, self.src_dict)
        tgt_ds = self.dataset_format.load(prefix + self.cfg.target_lang, self.tgt_dict)
        if len(src_ds) != len(tgt_ds):
            raise SeqxError(
                f"'{prefix}{self.cfg.source_lang}' has {len(src_ds)} sentences but "
                f"'{prefix}{self.cfg.target_lang}' has {len(tgt_ds)}"
            )
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

    # -- --eval-bleu -------------------------------------------------------------------

    def build_model(self, cfg: Any, model_cls: type) -> Any:
        model = super().build_model(cfg, model_cls)
        if self.cfg.eval_bleu:
            self.bleu = self._bleu_evaluator()
        return model

    def _bleu_evaluator(self) -> Any:
        from seqx.generation.text import folder_pipeline
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


def data_paths(data: str) -> list[str]:
    """The shards of DATA (``DATA1:DATA2``); each must be a folder."""
    paths = [p for p in (data or "").split(os.pathsep) if p]
    if not paths:
        raise SeqxError("give the data folder (the DATA argument)")
    for p in paths:
        if not os.path.isdir(p):
            raise SeqxError(f"data folder '{p}' does not exist (the DATA argument)")
    return paths
