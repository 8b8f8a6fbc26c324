"""``seqx eval-lm``: the perplexity of language models on a binarized split."""

from __future__ import annotations

import math
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

import torch

from seqx.devices import autocast, move_to
from seqx.errors import SeqxError
from seqx.generation.config import DecodingConfig, EvalLMConfig
from seqx.generation.decoding import load_for_decoding
from seqx.plugins import PluginManager
from seqx.tasks.task import resolve_max_positions

if TYPE_CHECKING:
    from seqx.models.base_model import BaseModel


def token_log_probs(models: list[BaseModel], sample: dict[str, Any]) -> torch.Tensor:
    """log p(target token) at every position (B x T, base e); an ensemble averages
    probabilities."""
    target = sample["target"]
    per_model = []
    for m in models:
        out = m(**sample["net_input"])
        lprobs = m.get_normalized_probs(out, log_probs=True).float()
        per_model.append(lprobs.gather(-1, target.unsqueeze(-1)).squeeze(-1))
    if len(per_model) == 1:
        return per_model[0]
    return torch.logsumexp(torch.stack(per_model), 0) - math.log(len(per_model))


def eval_lm(
    cfg: EvalLMConfig,
    decoding: DecodingConfig,
    pm: PluginManager,
    dataset_format: str | None = None,
    log: TextIO | None = None,
) -> dict[str, Any]:
    """Score ``cfg.gen_subset``; print fairseq-eval-lm's lines; return loss and perplexity."""
    log = log or sys.stdout
    device, loaded = load_for_decoding(decoding, cfg.data, pm, dataset_format, "eval-lm")
    task, models = loaded.task, loaded.models
    if cfg.tokens_per_sample is not None:
        task.cfg.tokens_per_sample = cfg.tokens_per_sample
        task.cfg.max_target_positions = cfg.tokens_per_sample
    if cfg.sample_break_mode is not None:
        task.cfg.sample_break_mode = cfg.sample_break_mode
    task.load_dataset(cfg.gen_subset)
    dataset = task.dataset(cfg.gen_subset)
    pad = task.target_dictionary.pad()
    max_tokens = cfg.max_tokens if cfg.max_tokens or cfg.batch_size else 4096
    itr = task.get_batch_iterator(
        dataset,
        max_tokens=max_tokens,
        max_sentences=cfg.batch_size,
        max_positions=resolve_max_positions(
            task.max_positions(), *[m.max_positions() for m in models]
        ),
        ignore_invalid_inputs=cfg.skip_invalid_size_inputs_valid_test,
        seed=decoding.seed,
        num_workers=cfg.num_workers,
        split=cfg.gen_subset,
    ).next_epoch_itr(shuffle=False)
    nll, ntokens, elapsed = 0.0, 0, 0.0
    for sample in itr:
        if not sample:
            continue
        sample = move_to(sample, device)
        start = time.perf_counter()
        with torch.no_grad(), autocast(device, decoding.amp):
            scores = token_log_probs(models, sample)
        mask = sample["target"].ne(pad)
        nll -= float(scores[mask].sum())
        ntokens += int(mask.sum())
        elapsed += time.perf_counter() - start
    if ntokens == 0:
        raise SeqxError(f"split '{cfg.gen_subset}' has no tokens to score")
    loss = nll / ntokens / math.log(2)
    perplexity = 2**loss
    rate = ntokens / elapsed if elapsed else 0.0
    print(f"Evaluated {ntokens} tokens in {elapsed:.1f}s ({rate:.2f} tokens/s)", file=log)
    print(f"Loss (base 2): {loss:.4f}, Perplexity: {perplexity:.2f}", file=log)
    return {"tokens": ntokens, "loss": loss, "perplexity": perplexity, "seconds": elapsed}
