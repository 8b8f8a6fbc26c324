"""BLEU during validation (``--eval-bleu``): decode, detokenize, and sum n-gram statistics.

The statistics of every validation batch are summed like any logging output
and turned into a corpus BLEU when the stats are reduced, so the score is
exact whatever the batching (and across distributed ranks).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from seqx.errors import SeqxError

ORDER = 4


class BleuEvaluator:
    """Decodes validation batches and returns their BLEU statistics."""

    def __init__(self, cfg: Any, tgt_dict: Any, target_pipeline: Any, detok: Any) -> None:
        from seqx.generation.config import GenerationConfig
        from seqx.generation.sequence_generator import SequenceGenerator

        try:
            options = json.loads(cfg.eval_bleu_args or "{}")
        except json.JSONDecodeError as exc:
            raise SeqxError(f"--eval-bleu-args is not JSON: {exc}") from None
        try:
            gen_cfg = GenerationConfig(**options)
        except TypeError as exc:
            raise SeqxError(f"--eval-bleu-args: {exc}") from None
        self.cfg = cfg
        self.tgt_dict = tgt_dict
        self.generator = SequenceGenerator(tgt_dict, gen_cfg)
        self.pipeline = target_pipeline
        self.detok = detok
        self.printed = False

    def decode(self, tokens: Any, escape_unk: bool = False) -> str:
        symbol = self.cfg.eval_bleu_remove_bpe
        if symbol:
            text = self.tgt_dict.string(tokens, symbol, escape_unk=escape_unk)
        else:
            text = self.pipeline.decode(self.tgt_dict.string(tokens, None, escape_unk=escape_unk))
        return self.detok.decode(text) if self.detok is not None else text

    def stats(self, model: Any, sample: dict[str, Any]) -> dict[str, Any]:
        """Logging-output fields: sentence counts and n-gram matches of this batch."""
        import sacrebleu

        hypos = self.generator.generate([model], sample)
        pad = self.tgt_dict.pad()
        hyps, refs = [], []
        for i, hyp in enumerate(hypos):
            hyps.append(self.decode(hyp[0]["tokens"]) if hyp else "")
            target = sample["target"][i]
            refs.append(self.decode(target[target.ne(pad)], escape_unk=True))
        if self.cfg.eval_bleu_print_samples and not self.printed:
            print(f"example hypothesis: {hyps[0]}\nexample reference: {refs[0]}", flush=True)
            self.printed = True
        tokenize = "none" if self.cfg.eval_tokenized_bleu else "13a"
        bleu = sacrebleu.corpus_bleu(hyps, [refs], tokenize=tokenize, force=True)
        out: dict[str, Any] = {"_bleu_sys_len": bleu.sys_len, "_bleu_ref_len": bleu.ref_len}
        for n in range(ORDER):
            out[f"_bleu_counts_{n}"] = bleu.counts[n]
            out[f"_bleu_totals_{n}"] = bleu.totals[n]
        return out


def bleu_from_sums(sums: Sequence[dict[str, Any]] | dict[str, Any]) -> float | None:
    """Corpus BLEU from summed statistics (None when there are none)."""
    from sacrebleu.metrics import BLEU

    from seqx.criterions.criterion import sum_logs

    logs = [sums] if isinstance(sums, dict) else list(sums)
    totals = [sum_logs(logs, f"_bleu_totals_{n}") for n in range(ORDER)]
    if not totals[0]:
        return None
    counts = [sum_logs(logs, f"_bleu_counts_{n}") for n in range(ORDER)]
    score = BLEU.compute_bleu(
        correct=[int(c) for c in counts],
        total=[int(t) for t in totals],
        sys_len=int(sum_logs(logs, "_bleu_sys_len")),
        ref_len=int(sum_logs(logs, "_bleu_ref_len")),
        smooth_method="exp",
    )
    return float(score.score)
