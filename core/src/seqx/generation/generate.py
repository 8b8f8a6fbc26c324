"""``seqx generate``: translate a binarized split and score it."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from seqx.errors import SeqxError
from seqx.generation.config import GenerateConfig, GenerationConfig
from seqx.generation.decoding import autocast, load_for_decoding
from seqx.generation.parallel import fork_available, map_in_workers
from seqx.generation.sequence_generator import SequenceGenerator
from seqx.generation.text import folder_pipeline, hypothesis_lines, post_process_symbol
from seqx.tasks.task import resolve_max_positions
from seqx.training.trainer import move_to


def generate(
    cfg: GenerateConfig,
    gen: GenerationConfig,
    scorer: Any,
    pm: Any,
    dataset_format: str | None = None,
    out: TextIO | None = None,
    log: TextIO | None = None,
) -> dict[str, Any]:
    """Translate ``cfg.gen_subset``; print fairseq's lines; return speed and score."""
    log = log or sys.stderr
    device, loaded = load_for_decoding(cfg, pm, dataset_format)
    task, models = loaded.task, loaded.models
    if cfg.max_source_positions is not None:
        task.cfg.max_source_positions = cfg.max_source_positions
    task.load_dataset(cfg.gen_subset)
    dataset = task.dataset(cfg.gen_subset)
    src_dict, tgt_dict = task.source_dictionary, task.target_dictionary
    tgt_lang = task.cfg.target_lang
    target_pipeline = folder_pipeline(pm.registry, cfg.data, tgt_lang)
    post = post_process_symbol(cfg)
    max_positions = resolve_max_positions(
        task.max_positions(), *[m.max_positions() for m in models]
    )
    itr = task.get_batch_iterator(
        dataset,
        max_tokens=cfg.max_tokens,
        max_sentences=cfg.batch_size if cfg.batch_size or cfg.max_tokens else 128,
        max_positions=max_positions,
        ignore_invalid_inputs=cfg.skip_invalid_size_inputs_valid_test,
        seed=cfg.seed,
        num_workers=cfg.num_workers,
        split=cfg.gen_subset,
    ).next_epoch_itr(shuffle=False)
    generator = SequenceGenerator(tgt_dict, gen)
    prefix_size = gen.prefix_size

    own_file = None
    if cfg.results_path:
        os.makedirs(cfg.results_path, exist_ok=True)
        own_file = open(  # noqa: SIM115 - closed below
            os.path.join(cfg.results_path, f"generate-{cfg.gen_subset}.txt"),
            "w",
            encoding="utf-8",
        )
    out = own_file or out or sys.stdout
    sentences = tokens = 0
    elapsed = 0.0

    def decode(sample: dict[str, Any]) -> Any:
        prefix = sample["target"][:, :prefix_size] if prefix_size > 0 else None
        with autocast(device, cfg.amp):
            return task.inference_step(generator, models, sample, prefix_tokens=prefix)

    try:
        for sample, hypos, seconds in _decoded(itr, decode, cfg, device):
            elapsed += seconds
            for i, sid in enumerate(sample["id"].tolist()):
                src = sample["net_input"]["src_tokens"][i]
                src = src[src.ne(src_dict.pad())]
                target = sample["target"][i]
                target = target[target.ne(tgt_dict.pad())]
                target_str = tgt_dict.string(target, post, escape_unk=True)
                target_text = target_pipeline.decode(tgt_dict.string(target, None))
                if not cfg.quiet:
                    print(f"S-{sid}\t{src_dict.string(src, post)}", file=out)
                    print(f"T-{sid}\t{target_str}", file=out)
                for j, hypo in enumerate(hypos[i]):
                    lines, hypo_str, detok = hypothesis_lines(
                        sid, hypo, tgt_dict, post, target_pipeline.decode
                    )
                    if not cfg.quiet:
                        print("\n".join(lines), file=out)
                    if j == 0 and scorer is not None:
                        if getattr(scorer, "uses_detokenized", True):
                            scorer.add_string(target_text, detok)
                        else:
                            scorer.add_string(target_str, hypo_str)
                tokens += len(hypos[i][0]["tokens"]) if hypos[i] else 0
                sentences += 1
    finally:
        if own_file is not None:
            own_file.close()
    rate = sentences / elapsed if elapsed else 0.0
    print(
        f"Translated {sentences} sentences ({tokens} tokens) in {elapsed:.1f}s "
        f"({rate:.2f} sentences/s, {tokens / elapsed if elapsed else 0.0:.2f} tokens/s)",
        file=log,
    )
    result: dict[str, Any] = {
        "sentences": sentences,
        "tokens": tokens,
        "seconds": elapsed,
        "sentences_per_second": rate,
    }
    if scorer is not None and sentences:
        line = f"Generate {cfg.gen_subset} with beam={gen.beam}: {scorer.result_string()}"
        if own_file is not None:
            with open(own_file.name, "a", encoding="utf-8") as f:
                print(line, file=f)
            print(line, file=log)
        else:
            print(line, file=out)
        result["score"] = scorer.score()
    return result


def _decoded(
    itr: Any, decode: Callable[[dict[str, Any]], Any], cfg: GenerateConfig, device: Any
) -> Iterator[tuple[dict[str, Any], Any, float]]:
    """(sample, hypotheses, seconds waited for them) per batch, in batch order: decoded here,
    or by ``--decode-workers`` forked processes on CPU."""
    import torch

    workers = cfg.decode_workers
    if workers > 1 and (device.type != "cpu" or not fork_available()):
        raise SeqxError("--decode-workers forks CPU processes: use it on CPU, on Linux or macOS")
    if workers <= 1:
        for sample in itr:
            if sample:
                sample = move_to(sample, device)
                start = time.perf_counter()
                hypos = decode(sample)
                yield sample, hypos, time.perf_counter() - start
        return
    samples = [move_to(s, device) for s in itr if s]

    def job(index: int) -> Any:
        torch.manual_seed(cfg.seed + index)  # sampling: the same draws whichever worker
        return decode(samples[index])

    # the largest batches first, so that none runs alone at the end
    sizes = [s["net_input"]["src_tokens"].numel() for s in samples]
    order = sorted(range(len(samples)), key=lambda i: -sizes[i])
    results = map_in_workers(job, len(samples), workers, order=order)
    for sample in samples:
        start = time.perf_counter()
        hypos = next(results)
        yield sample, hypos, time.perf_counter() - start
