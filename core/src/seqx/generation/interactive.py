"""``seqx interactive``: raw text in, translations out, in input order."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from typing import Any, TextIO

from seqx.config.resolve import SectionConfig
from seqx.data.language_pair_dataset import collate
from seqx.data.lines import iter_lines, stream_lines, text_lines
from seqx.devices import autocast, move_to
from seqx.errors import SeqxError
from seqx.generation.config import (
    DecodingConfig,
    GenerationConfig,
    InteractiveConfig,
    PostProcessConfig,
)
from seqx.generation.decoding import encoder_decoder_models, load_for_decoding
from seqx.generation.pipelines import decoding_pipelines
from seqx.generation.sequence_generator import SequenceGenerator
from seqx.generation.text import hypothesis_lines
from seqx.plugins import PluginManager


def _buffered(lines: Iterator[str], size: int) -> Iterator[list[str]]:
    buffer: list[str] = []
    for line in lines:
        buffer.append(line)
        if len(buffer) >= size:
            yield buffer
            buffer = []
    if buffer:
        yield buffer


def _input(cfg: InteractiveConfig, stdin: TextIO | None) -> Iterator[str]:
    """The lines to translate (:mod:`seqx.data.lines`'s rule): ``--input FILE``, or standard
    input for ``-``."""
    if cfg.input != "-":
        return iter_lines(cfg.input, "--input")
    stream = stdin or sys.stdin
    buffer = getattr(stream, "buffer", None)
    return stream_lines(buffer, "<stdin>") if buffer is not None else text_lines(stream, "<stdin>")


def _samples(
    src_dict: Any, encoded: list[str], first_id: int, max_src: int, skip: bool
) -> list[Any]:
    samples = []
    for k, text in enumerate(encoded):
        ids = src_dict.encode_line(text, add_if_not_exist=False).long()
        if len(ids) > max_src:
            problem = (
                f"input line {first_id + k + 1} has {len(ids)} tokens, more than the "
                f"model's {max_src} source positions"
            )
            if not skip:
                raise SeqxError(
                    f"{problem}; shorten it, or add --skip-invalid-size-inputs-valid-test "
                    "to skip such lines"
                )
            print(f"skipped {problem}", file=sys.stderr)
            continue
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
    tokenizer: SectionConfig | None = None,
    bpe: SectionConfig | None = None,
) -> None:
    """Translate every input line; print fairseq-interactive's S, W, H, D and P lines per
    line, in order. ``tokenizer``/``bpe`` (``--tokenizer``/``--bpe``) replace the data
    folder's."""
    out = out or sys.stdout
    lines = _input(cfg, stdin)
    device, loaded = load_for_decoding(decoding, cfg.data, pm, dataset_format, "interactive")
    task, models = loaded.task, encoder_decoder_models(loaded, "interactive")
    src_dict, tgt_dict = task.source_dictionary, task.target_dictionary
    source, target = decoding_pipelines(pm.registry, cfg.data, task, tokenizer, bpe)
    generator = SequenceGenerator(tgt_dict, gen)
    post = post_process.symbol

    def decode(x: str) -> str:
        return target.decode(x, subwords_undone=post is not None)

    batch_size = cfg.batch_size or cfg.buffer_size
    max_src = min(task.cfg.max_source_positions, *[m.max_positions()[0] or 10**9 for m in models])
    next_id = 0
    for buffer in _buffered(lines, cfg.buffer_size):
        encoded = source.encode_lines(buffer)
        samples = _samples(
            src_dict, encoded, next_id, max_src, cfg.skip_invalid_size_inputs_valid_test
        )
        results: dict[int, list[str]] = {}
        for start in range(0, len(samples), batch_size):
            batch = collate(
                samples[start : start + batch_size],
                src_dict.pad(),
                src_dict.eos(),
                left_pad_source=task.cfg.left_pad_source,
            )
            batch = move_to(batch, device)
            started = time.perf_counter()
            with autocast(device, decoding.amp):
                hypos = task.inference_step(generator, models, batch)
            seconds = (time.perf_counter() - started) / len(hypos)
            for i, sid in enumerate(batch["id"].tolist()):
                src = batch["net_input"]["src_tokens"][i]
                shown = [
                    f"S-{sid}\t{src_dict.string(src[src.ne(src_dict.pad())], post)}",
                    f"W-{sid}\t{seconds:.3f}\tseconds",
                ]
                for hypo in hypos[i]:
                    shown += hypothesis_lines(sid, hypo, tgt_dict, post, decode)[0]
                results[sid] = shown
        for sid in sorted(results):
            print("\n".join(results[sid]), file=out, flush=True)
        next_id += len(buffer)
