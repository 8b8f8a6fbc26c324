"""``seqx interactive``: raw text in, translations out, in input order."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, TextIO

from seqx.data.language_pair_dataset import collate
from seqx.errors import SeqxError
from seqx.generation.config import GenerationConfig, InteractiveConfig
from seqx.generation.decoding import autocast, load_for_decoding
from seqx.generation.sequence_generator import SequenceGenerator
from seqx.generation.text import folder_pipeline, hypothesis_lines, post_process_symbol
from seqx.training.trainer import move_to


def _buffered(lines: Iterator[str], size: int) -> Iterator[list[str]]:
    buffer: list[str] = []
    for line in lines:
        buffer.append(line.rstrip("\n"))
        if len(buffer) >= size:
            yield buffer
            buffer = []
    if buffer:
        yield buffer


def interactive(
    cfg: InteractiveConfig,
    gen: GenerationConfig,
    pm: Any,
    dataset_format: str | None = None,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> None:
    """Translate every input line; print S, H, D and P lines per line, in order."""
    out = out or sys.stdout
    device, loaded = load_for_decoding(cfg, pm, dataset_format)
    task, models = loaded.task, loaded.models
    src_dict, tgt_dict = task.source_dictionary, task.target_dictionary
    source = folder_pipeline(pm.registry, cfg.data, task.cfg.source_lang)
    target = folder_pipeline(pm.registry, cfg.data, task.cfg.target_lang)
    generator = SequenceGenerator(tgt_dict, gen)
    post = post_process_symbol(cfg)
    batch_size = cfg.batch_size or cfg.buffer_size
    max_src = min(task.cfg.max_source_positions, *[m.max_positions()[0] or 10**9 for m in models])
    if cfg.input == "-":
        stream = stdin or sys.stdin
        own = None
    else:
        try:
            own = open(cfg.input, encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise SeqxError(f"--input: cannot read '{cfg.input}': {exc.strerror}") from None
        stream = own
    next_id = 0
    try:
        for buffer in _buffered(iter(stream), max(1, cfg.buffer_size)):
            encoded = source.encode_lines(buffer)
            samples = []
            for k, text in enumerate(encoded):
                ids = src_dict.encode_line(text, add_if_not_exist=False).long()
                if len(ids) > max_src:
                    raise SeqxError(
                        f"input line {next_id + k + 1} has {len(ids)} tokens, more than the "
                        f"model's {max_src} source positions"
                    )
                samples.append({"id": next_id + k, "source": ids, "target": None})
            results: dict[int, list[str]] = {}
            for start in range(0, len(samples), batch_size):
                batch = collate(
                    samples[start : start + batch_size],
                    src_dict.pad(),
                    src_dict.eos(),
                    left_pad_source=task.cfg.left_pad_source,
                )
                batch = move_to(batch, device)
                with autocast(device, cfg.amp):
                    hypos = task.inference_step(generator, models, batch)
                for i, sid in enumerate(batch["id"].tolist()):
                    lines = [f"S-{sid}\t{encoded[sid - next_id]}"]
                    for hypo in hypos[i]:
                        lines += hypothesis_lines(sid, hypo, tgt_dict, post, target.decode)[0]
                    results[sid] = lines
            for sid in sorted(results):
                print("\n".join(results[sid]), file=out, flush=True)
            next_id += len(buffer)
    finally:
        if own is not None:
            own.close()
