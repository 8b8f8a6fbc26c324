"""``seqx generate``: translate a binarized split and score it."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

from seqx.config.resolve import SectionConfig
from seqx.data.text_pipeline import TextPipeline
from seqx.devices import autocast, move_to
from seqx.errors import SeqxError
from seqx.generation.config import (
    DecodingConfig,
    GenerateConfig,
    GenerationConfig,
    PostProcessConfig,
)
from seqx.generation.decoding import encoder_decoder_models, load_for_decoding
from seqx.generation.parallel import fork_available, map_in_workers
from seqx.generation.pipelines import decoding_pipelines
from seqx.generation.sequence_generator import SequenceGenerator
from seqx.generation.text import hypothesis_lines
from seqx.models.base_model import BaseModel
from seqx.plugins import PluginManager
from seqx.scoring.scorer import Scorer
from seqx.tasks.task import Task, resolve_max_positions


class _Printer:
    """fairseq-generate's S, T, H, D and P lines of each sentence, and the scorer's input."""

    def __init__(
        self,
        task: Task,
        pipeline: TextPipeline,
        post: str | None,
        scorer: Scorer | None,
        out: TextIO,
    ) -> None:
        self.src_dict, self.tgt_dict = task.source_dictionary, task.target_dictionary
        self.pipeline = pipeline
        self.post = post
        self.scorer = scorer
        self.out: TextIO | None = out

    def sentence(self, sample: dict[str, Any], i: int, hypos: list[dict[str, Any]]) -> int:
        """Print sentence ``i`` of ``sample`` with its hypotheses; its best one's length."""
        src_dict, tgt_dict, post, out = self.src_dict, self.tgt_dict, self.post, self.out
        sid = int(sample["id"][i])
        src = sample["net_input"]["src_tokens"][i]
        src = src[src.ne(src_dict.pad())]
        target = sample["target"][i]
        target = target[target.ne(tgt_dict.pad())]
        pipeline = self.pipeline

        def decode(x: str) -> str:
            return pipeline.decode(x, subwords_undone=post is not None)

        target_str = decode(tgt_dict.string(target, post, escape_unk=True))
        if out is not None:  # as fairseq 0.12: S and T detokenized too
            print(f"S-{sid}\t{decode(src_dict.string(src, post))}", file=out)
            print(f"T-{sid}\t{target_str}", file=out)
        for j, hypo in enumerate(hypos):
            lines, hypo_str, detok = hypothesis_lines(sid, hypo, tgt_dict, post, decode)
            if out is not None:
                print("\n".join(lines), file=out)
            if j == 0 and self.scorer is not None:
                if self.scorer.uses_detokenized or post is not None:
                    self.scorer.add_string(target_str, detok)
                else:  # fairseq compares the token ids
                    self.scorer.add_string(tgt_dict.string(target, None, escape_unk=True), hypo_str)
        return len(hypos[0]["tokens"]) if hypos else 0


def _batches(task: Task, models: Sequence[BaseModel], cfg: GenerateConfig, seed: int) -> Any:
    """The batches of ``--gen-subset``, in order (128 sentences unless a size is given)."""
    if cfg.max_source_positions is not None:
        task.cfg.max_source_positions = cfg.max_source_positions
    task.load_dataset(cfg.gen_subset)
    max_positions = resolve_max_positions(
        task.max_positions(), *[m.max_positions() for m in models]
    )
    return task.get_batch_iterator(
        task.dataset(cfg.gen_subset),
        max_tokens=cfg.max_tokens,
        max_sentences=cfg.batch_size if cfg.batch_size or cfg.max_tokens else 128,
        max_positions=max_positions,
        ignore_invalid_inputs=cfg.skip_invalid_size_inputs_valid_test,
        seed=seed,
        num_workers=cfg.num_workers,
        split=cfg.gen_subset,
    ).next_epoch_itr(shuffle=False)


def _results_file(cfg: GenerateConfig) -> str | None:
    """``--results-path``'s ``generate-SUBSET.txt`` (its folder made), if given."""
    if not cfg.results_path:
        return None
    if os.path.exists(cfg.results_path) and not os.path.isdir(cfg.results_path):
        raise SeqxError(f"--results-path '{cfg.results_path}' is a file, not a folder")
    os.makedirs(cfg.results_path, exist_ok=True)
    return os.path.join(cfg.results_path, f"generate-{cfg.gen_subset}.txt")


def generate(
    cfg: GenerateConfig,
    decoding: DecodingConfig,
    gen: GenerationConfig,
    post_process: PostProcessConfig,
    scorer: Scorer | None,
    pm: PluginManager,
    dataset_format: str | None = None,
    out: TextIO | None = None,
    log: TextIO | None = None,
    tokenizer: SectionConfig | None = None,
    bpe: SectionConfig | None = None,
) -> dict[str, Any]:
    """Translate ``cfg.gen_subset``; print fairseq's lines; return speed and score.
    ``tokenizer``/``bpe`` (``--tokenizer``/``--bpe``) replace the data folder's."""
    log = log or sys.stderr
    device, loaded = load_for_decoding(decoding, cfg.data, pm, dataset_format, "generate")
    task, models = loaded.task, encoder_decoder_models(loaded, "generate")
    itr = _batches(task, models, cfg, decoding.seed)
    pipeline = decoding_pipelines(pm.registry, cfg.data, task, tokenizer, bpe)[1]
    generator = SequenceGenerator(task.target_dictionary, gen)

    def decode(sample: dict[str, Any]) -> Any:
        prefix = sample["target"][:, : gen.prefix_size] if gen.prefix_size > 0 else None
        with autocast(device, decoding.amp):
            return task.inference_step(generator, models, sample, prefix_tokens=prefix)

    results = _results_file(cfg)
    with open(results, "w", encoding="utf-8") if results else contextlib.nullcontext() as own:
        target = own or out or sys.stdout
        printer = _Printer(task, pipeline, post_process.symbol, scorer, target)
        if cfg.quiet:
            printer.out = None
        sentences = tokens = 0
        elapsed = 0.0
        for sample, hypos, seconds in _decoded(itr, decode, cfg, decoding.seed, device):
            elapsed += seconds
            for i in range(len(sample["id"])):
                tokens += printer.sentence(sample, i, hypos[i])
                sentences += 1
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
        _print_score(f"Generate {cfg.gen_subset} with beam={gen.beam}: ", scorer, results, out, log)
        result["score"] = scorer.score()
    return result


def _print_score(
    head: str, scorer: Scorer, results: str | None, out: TextIO | None, log: TextIO
) -> None:
    """The score line: on standard output, or appended to ``--results-path``'s file and
    logged."""
    line = head + scorer.result_string()
    if results:
        with open(results, "a", encoding="utf-8") as f:
            print(line, file=f)
        print(line, file=log)
    else:
        print(line, file=out or sys.stdout)


def _decoded(
    itr: Any,
    decode: Callable[[dict[str, Any]], Any],
    cfg: GenerateConfig,
    seed: int,
    device: Any,
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
        torch.manual_seed(seed + index)  # sampling: the same draws whichever worker
        return decode(samples[index])

    # the largest batches first, so that none runs alone at the end
    sizes = [s["net_input"]["src_tokens"].numel() for s in samples]
    order = sorted(range(len(samples)), key=lambda i: -sizes[i])
    results = map_in_workers(job, len(samples), workers, order=order)
    for sample in samples:
        start = time.perf_counter()
        hypos = next(results)
        yield sample, hypos, time.perf_counter() - start
