"""Subword models in preprocessing: a given model copied into the folder, or one learned
on the training text (jointly or per language)."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from seqx.data.text_pipeline import ComponentSpec
from seqx.errors import SeqxError
from seqx.preprocessing.config import PreprocessConfig
from seqx.preprocessing.files import chunk_offsets, concatenate, lang_file, lang_label
from seqx.preprocessing.workers import EncodeTask, encode_chunk


def model_fields(bpe: ComponentSpec) -> tuple[str, ...]:
    """The config fields of ``bpe`` that name model files (kept in the data folder)."""
    cls = bpe.entry.load()
    return tuple(getattr(cls, "model_files", ()))


def prepare_bpe(
    cfg: PreprocessConfig,
    langs: list[str],
    splits: list[tuple[str, str, str]],
    staging: str,
    tokenizer: ComponentSpec | None,
    bpe: ComponentSpec | None,
    ex: Executor,
    log: Callable[[str], None],
) -> dict[str, ComponentSpec]:
    """One BPE spec per language, with its model file inside the staging folder."""
    if bpe is None:
        return {}
    fields = model_fields(bpe)
    given = {f: getattr(bpe.config, f) for f in fields}  # the fields model_files names
    if all(given.values()) and fields:
        return dict.fromkeys(langs, _copied_model(bpe, given, staging))
    if cfg.bpe_vocab_size is None:
        raise SeqxError(
            f"--bpe {bpe.entry.name} needs a model: give "
            + " ".join(f"--{f.replace('_', '-')}" for f in fields)
            + " or learn one with --bpe-vocab-size N"
        )
    if not cfg.trainpref:
        raise SeqxError("learning a subword model (--bpe-vocab-size) needs --trainpref")
    train_text = _learning_text(cfg, langs, staging, tokenizer, ex)
    return _learn(cfg, bpe, train_text, staging, log)


def _copied_model(bpe: ComponentSpec, given: dict[str, Any], staging: str) -> ComponentSpec:
    """``bpe`` with the model files given copied into the staging folder."""
    config = bpe.config
    for f, path in given.items():
        if not os.path.isfile(path):
            raise SeqxError(f"--{f.replace('_', '-')}: '{path}' does not exist")
        copy = os.path.join(staging, os.path.basename(path))
        shutil.copyfile(path, copy)
        config = dataclasses.replace(config, **{f: copy})
    return ComponentSpec(bpe.entry, config)


def _learning_text(
    cfg: PreprocessConfig,
    langs: list[str],
    staging: str,
    tokenizer: ComponentSpec | None,
    ex: Executor,
) -> dict[str, str]:
    """Per language, the training text a subword model learns from: tokenized first when
    a tokenizer is given (what the model will see)."""
    assert cfg.trainpref is not None
    train_text = {}
    for lang in langs:
        path = lang_file(cfg.trainpref, lang)
        if tokenizer is not None:  # learn on what the subword model will see
            learn_path = os.path.join(staging, f"learn.{lang_label(lang)}")
            tasks = [
                EncodeTask(path, a, b, f"{learn_path}.{i}", tokenizer, None, False)
                for i, (a, b) in enumerate(chunk_offsets(path, cfg.workers))
            ]
            list(ex.map(encode_chunk, tasks))
            concatenate([(t.out, 0, os.path.getsize(t.out)) for t in tasks if t.out], learn_path)
            path = learn_path
        train_text[lang] = path
    return train_text


def _learn(
    cfg: PreprocessConfig,
    bpe: ComponentSpec,
    train_text: dict[str, str],
    staging: str,
    log: Callable[[str], None],
) -> dict[str, ComponentSpec]:
    """Learn one joint model (``--bpe-joint``) or one per language."""
    assert cfg.bpe_vocab_size is not None
    cls = bpe.entry.load()
    name = bpe.entry.name
    langs = list(train_text)
    out: dict[str, ComponentSpec] = {}
    if cfg.bpe_joint:
        log(f"learning a joint {name} model of {cfg.bpe_vocab_size} units")
        learned = cls.learn(
            bpe.config,
            list(train_text.values()),
            os.path.join(staging, name),
            cfg.bpe_vocab_size,
            cfg.workers,
        )
        return dict.fromkeys(langs, ComponentSpec(bpe.entry, learned))
    for lang, path in train_text.items():
        log(f"learning a {name} model of {cfg.bpe_vocab_size} units for {lang_label(lang)}")
        learned = cls.learn(
            bpe.config,
            [path],
            os.path.join(staging, f"{name}.{lang}" if lang else name),
            cfg.bpe_vocab_size,
            cfg.workers,
        )
        out[lang] = ComponentSpec(bpe.entry, learned)
    return out
