"""``seqx interactive``: raw text in, translations out, in input order."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from seqx.data.folder import folder_pipeline
from seqx.data.language_pair_dataset import collate
from seqx.devices import autocast, move_to
from seqx.errors import SeqxError
from seqx.generation.config import (
    DecodingConfig,
    GenerationConfig,
    InteractiveConfig,
    PostProcessConfig,
)
from seqx.generation.decoding import encoder_decoder_models, load_for_decoding
from seqx.generation.sequence_generator import SequenceGenerator
from seqx.generation.text import hypothesis_lines
from seqx.plugins import PluginManager


def _buffered(lines: Iterator[str], size: int) -> Iterator[list[str]]:
    buffer: list[str] = []
    for line in lines:
        buffer.append(line.rstrip("\n"))
        if len(buffer) >= size:
            yield buffer
            buffer = []
    if buffer:
        yield buffer


def _input(cfg: InteractiveConfig, stdin: TextIO | None) -> contextlib.AbstractContextManager[Any]:
    """The lines to translate: ``--input FILE``, or standard input for ``-``."""
    if cfg.input == "-":
        return contextlib.nullcontext(stdin or sys.stdin)
    try:
        return open(cfg.input, encoding="utf-8")
    except OSError as exc:
        raise SeqxError(f"--input: cannot read '{cfg.input}': {exc.strerror}") from None


def _samples(src_dict: Any, encoded: list[str], first_id: int, max_src: int) -> list[Any]:
    samples = []
    for k, text in enumerate(encoded):
        ids = src_dict.encode_line(text, add_if_not_exist=False).long()
        if len(ids) > max_src:
            raise SeqxError(
                f"input line {first_id + k + 1} has {len(ids)} tokens, more than the "
                f"model's {max_src} source positions"
            )
        samples.append({"id": first_id + k, "source": ids, "target": None})
    return samples


def interactive(
    cfg: InteractiveConfig,
    decoding: DecodingConfig,
    gen: GenerationConfig,
    post_process: PostProcessConfig,
    pm: PluginManager,
    dataset_format: str | None = None,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> None:
    """Translate every input line; print S, H, D and P lines per line, in order."""
    out = out or sys.stdout
    device, loaded = load_for_decoding(decoding, cfg.data, pm, dataset_format)
    task, models = loaded.task, encoder_decoder_models(loaded, "interactive")
    src_dict, tgt_dict = task.source_dictionary, task.target_dictionary
    source = folder_pipeline(pm.registry, cfg.data, task.cfg.source_lang)
    target = folder_pipeline(pm.registry, cfg.data, task.cfg.target_lang)
    generator = SequenceGenerator(tgt_dict, gen)
    post = post_process.symbol
    batch_size = cfg.batch_size or cfg.buffer_size
    max_src = min(task.cfg.max_source_positions, *[m.max_positions()[0] or 10**9 for m in models])
    next_id = 0
    with _input(cfg, stdin) as stream:
        for buffer in _buffered(iter(stream), max(1, cfg.buffer_size)):
            encoded = source.encode_lines(buffer)
            samples = _samples(src_dict, encoded, next_id, max_src)
            results: dict[int, list[str]] = {}
            for start in range(0, len(samples), batch_size):
                batch = collate(
                    samples[start : start + batch_size],
                    src_dict.pad(),
                    src_dict.eos(),
                    left_pad_source=task.cfg.left_pad_source,
                )
                batch = move_to(batch, device)
                with autocast(device, decoding.amp):
                    hypos = task.inference_step(generator, models, batch)
                for i, sid in enumerate(batch["id"].tolist()):
                    lines = [f"S-{sid}\t{encoded[sid - next_id]}"]
                    for hypo in hypos[i]:
                        lines += hypothesis_lines(sid, hypo, tgt_dict, post, target.decode)[0]
                    results[sid] = lines
            for sid in sorted(results):
                print("\n".join(results[sid]), file=out, flush=True)
            next_id += len(buffer)
