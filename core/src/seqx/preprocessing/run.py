"""The steps of ``seqx preprocess``.

The run holds ``--destdir``'s lock (a second run into the same folder is refused),
writes everything into a staging folder inside it, and only when complete replaces
the folder's data as a whole (:mod:`seqx.preprocessing.publish`): an interrupted run
leaves nothing that a later run or ``seqx train`` could take for finished output,
and a rerun never leaves an earlier run's splits beside its own.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from seqx.config.resolve import SectionConfig
from seqx.data.dictionary import Dictionary
from seqx.data.folder import dictionary_file
from seqx.data.text_pipeline import ComponentSpec
from seqx.errors import SeqxError
from seqx.locking import FolderLock
from seqx.preprocessing.config import PreprocessConfig
from seqx.preprocessing.files import (
    check_text_file,
    chunk_offsets,
    concatenate,
    lang_file,
    lang_label,
)
from seqx.preprocessing.publish import dictionary_records, publish
from seqx.preprocessing.subwords import model_fields, prepare_bpe
from seqx.preprocessing.workers import BinarizeTask, EncodeTask, binarize_chunk, encode_chunk

STAGING_PREFIX = ".staging-"


@dataclass
class SplitStats:
    """What binarizing one split of one language found."""

    sentences: int = 0
    tokens: int = 0
    replaced: int = 0

    @property
    def unk_rate(self) -> float:
        """Share of tokens replaced by ``<unk>``, in percent."""
        return 100.0 * self.replaced / self.tokens if self.tokens else 0.0


@dataclass
class Report:
    """The outcome of a preprocess run."""

    destdir: str
    dictionaries: dict[str, int] = field(default_factory=dict)
    splits: dict[str, dict[str, SplitStats]] = field(default_factory=dict)
    seconds: float = 0.0


class _Inline(Executor):
    def map(self, fn, *iterables, timeout=None, chunksize=1):  # type: ignore[no-untyped-def, override]
        return map(fn, *iterables)


@contextmanager
def _executor(workers: int) -> Iterator[Executor]:
    if workers <= 1:
        yield _Inline()
        return
    import multiprocessing

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as ex:
        yield ex


def _splits(cfg: PreprocessConfig) -> list[tuple[str, str, str]]:
    """(split name, input prefix, flag) for every split asked for."""
    out = []
    if cfg.trainpref:
        out.append(("train", cfg.trainpref, "--trainpref"))
    for flag, base, prefs in (
        ("--validpref", "valid", cfg.validpref),
        ("--testpref", "test", cfg.testpref),
    ):
        for i, pref in enumerate(p for p in (prefs or "").split(",") if p):
            out.append((base if i == 0 else f"{base}{i}", pref, flag))
    return out


def _validate(cfg: PreprocessConfig, bpe: ComponentSpec | None) -> list[str]:
    if not cfg.source_lang and not cfg.only_source:
        raise SeqxError("give the source language with -s/--source-lang")
    if not cfg.only_source and not cfg.target_lang:
        raise SeqxError("give the target language with -t/--target-lang (or --only-source)")
    if not cfg.trainpref and not cfg.srcdict:
        raise SeqxError("give --trainpref to build the dictionaries, or --srcdict/--tgtdict")
    if cfg.bpe_vocab_size is not None and bpe is None:
        raise SeqxError("--bpe-vocab-size learns a subword model: choose one with --bpe")
    if cfg.only_source:
        return [cfg.source_lang or ""]  # "": fairseq's layout without a language
    return [lang for lang in (cfg.source_lang, cfg.target_lang) if lang]


def output_prefix(cfg: PreprocessConfig, split: str, lang: str) -> str:
    """fairseq's name for a split: ``train.de-en.de`` (``train.de-None.de`` with only source,
    ``train`` with only source and no language)."""
    if not lang:
        return split
    tgt = None if cfg.only_source else cfg.target_lang
    return f"{split}.{cfg.source_lang}-{tgt}.{lang}"


def preprocess(
    cfg: PreprocessConfig,
    fmt: ComponentSpec,
    tokenizer: ComponentSpec | None = None,
    bpe: ComponentSpec | None = None,
    log: Callable[[str], None] = print,
) -> Report:
    """Run ``seqx preprocess``; return what it wrote."""
    start_time = time.perf_counter()
    langs = _validate(cfg, bpe)
    splits = _splits(cfg)

    # inputs: present, UTF-8, aligned
    counts: dict[tuple[str, str], int] = {}
    for split, pref, flag in splits:
        for lang in langs:
            counts[split, lang] = check_text_file(lang_file(pref, lang), flag)
        if len(langs) == 2 and counts[split, langs[0]] != counts[split, langs[1]]:
            a, b = (lang_file(pref, lang) for lang in langs)
            raise SeqxError(
                f"{flag}: '{a}' has {counts[split, langs[0]]} lines but '{b}' has "
                f"{counts[split, langs[1]]}; source and target files must be line-aligned"
            )
        if counts[split, langs[0]] == 0:
            what = "training" if split == "train" else f"'{split}' split's"
            raise SeqxError(
                f"{flag}: {what} file '{lang_file(pref, langs[0])}' is empty; give a file "
                "with at least one sentence"
            )
    with FolderLock(cfg.destdir, "--destdir"):
        report = _run(cfg, langs, splits, fmt, tokenizer, bpe, log)
    report.seconds = time.perf_counter() - start_time
    log(f"wrote {cfg.destdir} in {report.seconds:.1f}s")
    return report


def _run(
    cfg: PreprocessConfig,
    langs: list[str],
    splits: list[tuple[str, str, str]],
    fmt: ComponentSpec,
    tokenizer: ComponentSpec | None,
    bpe: ComponentSpec | None,
    log: Callable[[str], None],
) -> Report:
    staging = os.path.join(cfg.destdir, f"{STAGING_PREFIX}{os.getpid()}")
    os.makedirs(staging)
    report = Report(destdir=cfg.destdir)
    fmt_obj: Any = fmt.build()
    try:
        with _executor(cfg.workers) as ex:
            bpes = prepare_bpe(cfg, langs, splits, staging, tokenizer, bpe, ex, log)
            encoded, word_counts = _encode(cfg, langs, splits, staging, tokenizer, bpes, ex)
            dicts = _dictionaries(cfg, langs, word_counts, staging, log)
            report.dictionaries = {lang: len(d) for lang, d in dicts.items()}
            if not cfg.dict_only:
                report.splits = _binarize(
                    cfg, langs, splits, encoded, dicts, fmt, fmt_obj, staging, ex
                )
        for split, by_lang in report.splits.items():
            for lang, st in by_lang.items():
                log(
                    f"[{lang_label(lang)}] {split}: {st.sentences} sents, {st.tokens} tokens, "
                    f"{st.unk_rate:.3f}% replaced by <unk>"
                )
        _publish(cfg, langs, staging, fmt, fmt_obj, tokenizer, bpes, dicts, report)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _encode(
    cfg: PreprocessConfig,
    langs: list[str],
    splits: list[tuple[str, str, str]],
    staging: str,
    tokenizer: ComponentSpec | None,
    bpes: dict[str, ComponentSpec],
    ex: Executor,
) -> tuple[dict[tuple[str, str], list[tuple[str, int, int]]], dict[str, Counter[str]]]:
    """Apply tokenizer and BPE; returns each file's chunks (path, start, end) and train counts."""
    tasks: list[tuple[str, str, EncodeTask]] = []
    for split, pref, _ in splits:
        for lang in langs:
            path = lang_file(pref, lang)
            identity = tokenizer is None and lang not in bpes
            for i, (a, b) in enumerate(chunk_offsets(path, cfg.workers)):
                out = (
                    None
                    if identity
                    else os.path.join(staging, f"{split}.{lang_label(lang)}.txt.{i}")
                )
                tasks.append(
                    (
                        split,
                        lang,
                        EncodeTask(path, a, b, out, tokenizer, bpes.get(lang), split == "train"),
                    )
                )
    results = list(ex.map(encode_chunk, [t for _, _, t in tasks]))
    chunks: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    word_counts: dict[str, Counter[str]] = {lang: Counter() for lang in langs}
    for (split, lang, task), (_, counter) in zip(tasks, results):
        if task.out is None:
            chunks.setdefault((split, lang), []).append((task.path, task.start, task.end))
        else:
            size = os.path.getsize(task.out)
            chunks.setdefault((split, lang), []).append((task.out, 0, size))
        if counter is not None:
            word_counts[lang].update(counter)
    return chunks, word_counts


def _dictionaries(
    cfg: PreprocessConfig,
    langs: list[str],
    word_counts: dict[str, Counter[str]],
    staging: str,
    log: Callable[[str], None],
) -> dict[str, Dictionary]:
    src = langs[0]
    tgt = langs[1] if len(langs) > 1 else None

    def build(counter: Counter[str], threshold: int, nwords: int) -> Dictionary:
        d = Dictionary()
        for word, n in counter.items():
            d.add_symbol(word, n)
        d.finalize(threshold=threshold, nwords=nwords, padding_factor=cfg.padding_factor)
        return d

    dicts: dict[str, Dictionary] = {}
    if cfg.joined_dictionary and tgt is not None:
        if cfg.srcdict and cfg.tgtdict and cfg.srcdict != cfg.tgtdict:
            raise SeqxError("--joined-dictionary takes one dictionary: give only --srcdict")
        given = cfg.srcdict or cfg.tgtdict
        if given:
            joined = Dictionary.load(given)
        else:
            joined = build(word_counts[src] + word_counts[tgt], cfg.thresholdsrc, cfg.nwordssrc)
        dicts = {src: joined, tgt: joined}
    else:
        dicts[src] = (
            Dictionary.load(cfg.srcdict)
            if cfg.srcdict
            else build(word_counts[src], cfg.thresholdsrc, cfg.nwordssrc)
        )
        if tgt is not None:
            if cfg.tgtdict:
                dicts[tgt] = Dictionary.load(cfg.tgtdict)
            elif not cfg.trainpref:
                raise SeqxError("give --tgtdict too, or --trainpref to build it")
            else:
                dicts[tgt] = build(word_counts[tgt], cfg.thresholdtgt, cfg.nwordstgt)
    for lang, d in dicts.items():
        d.save(os.path.join(staging, dictionary_file(lang)))
        log(f"[{lang_label(lang)}] dictionary: {len(d)} types")
    return dicts


def _binarize(
    cfg: PreprocessConfig,
    langs: list[str],
    splits: list[tuple[str, str, str]],
    chunks: dict[tuple[str, str], list[tuple[str, int, int]]],
    dicts: dict[str, Dictionary],
    fmt: ComponentSpec,
    fmt_obj: Any,
    staging: str,
    ex: Executor,
) -> dict[str, dict[str, SplitStats]]:
    stats: dict[str, dict[str, SplitStats]] = {}
    jobs: list[tuple[str, str, str, BinarizeTask]] = []
    final_lang: dict[str, str] = {}
    for split, _, _ in splits:
        for lang in langs:
            final = os.path.join(staging, output_prefix(cfg, split, lang))
            final_lang[final] = lang
            parts = chunks[split, lang]
            if fmt_obj.stores_text:
                concatenate(parts, final)
            for i, (path, a, b) in enumerate(parts):
                out = None if fmt_obj.stores_text else f"{final}.part{i}"
                task = BinarizeTask(path, a, b, out, dicts[lang], fmt)
                jobs.append((split, lang, final, task))
    results = list(ex.map(binarize_chunk, [job for *_, job in jobs]))
    finals: dict[str, list[str]] = {}
    for (split, lang, final, job), (n, tokens, replaced) in zip(jobs, results):
        st = stats.setdefault(split, {}).setdefault(lang, SplitStats())
        st.sentences += n
        st.tokens += tokens
        st.replaced += replaced
        if job.out_prefix is not None:
            finals.setdefault(final, []).append(job.out_prefix)
    for final, part_prefixes in finals.items():
        lang = final_lang[final]
        writer = fmt_obj.writer(final, len(dicts[lang]))
        for part in part_prefixes:
            writer.merge_file_(part)
        writer.finalize()
        for part in part_prefixes:
            for f in fmt_obj.files(part):
                os.remove(f)
    return stats


def _publish(
    cfg: PreprocessConfig,
    langs: list[str],
    staging: str,
    fmt: ComponentSpec,
    fmt_obj: Any,
    tokenizer: ComponentSpec | None,
    bpes: dict[str, ComponentSpec],
    dicts: dict[str, Dictionary],
    report: Report,
) -> None:
    names = [dictionary_file(lang) for lang in dict.fromkeys(langs)]
    for split in report.splits:
        for lang in langs:
            names += [os.path.basename(f) for f in fmt_obj.files(output_prefix(cfg, split, lang))]
    bpe_record: dict[str, Any] | None = None
    if bpes:
        bpe_record = {}
        for lang, spec in bpes.items():
            config = spec.config
            for name in model_fields(spec):
                path = getattr(config, name)
                names.append(os.path.basename(path))
                config = dataclasses.replace(config, **{name: os.path.basename(path)})
            bpe_record[lang] = SectionConfig(spec.entry.name, config).to_dict()
    manifest = {
        "source_lang": cfg.source_lang,
        "target_lang": None if cfg.only_source else cfg.target_lang,
        "dataset_impl": fmt.entry.name,
        "tokenizer": (
            SectionConfig(tokenizer.entry.name, tokenizer.config).to_dict() if tokenizer else None
        ),
        "bpe": bpe_record,
        "dictionaries": dictionary_records(dicts),
        "splits": {
            split: {lang: dataclasses.asdict(st) for lang, st in by_lang.items()}
            for split, by_lang in report.splits.items()
        },
    }
    inputs = [lang_file(pref, lang) for _, pref, _ in _splits(cfg) for lang in langs]
    inputs += [path for path in (cfg.srcdict, cfg.tgtdict) if path]
    publish(cfg.destdir, staging, list(dict.fromkeys(names)), manifest, keep=inputs)
