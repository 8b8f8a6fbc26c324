"""Scorers through sacrebleu: ``sacrebleu`` on detokenized text, ``bleu`` on tokens."""

from __future__ import annotations

from typing import Any

from seqx.errors import SeqxError
from seqx.scoring.scorer import Scorer


def _sacrebleu() -> Any:
    try:
        import sacrebleu
    except ImportError:
        raise SeqxError("scoring needs sacrebleu: pip install sacrebleu") from None
    return sacrebleu


class SacrebleuScorer(Scorer):
    """Corpus BLEU of detokenized hypotheses against detokenized references."""

    def _bleu(self) -> Any:
        sacrebleu = _sacrebleu()
        return sacrebleu.corpus_bleu(
            self.preds,
            [self.refs],
            tokenize=self.cfg.sacrebleu_tokenizer if self.cfg else "13a",
            lowercase=self.cfg.sacrebleu_lowercase if self.cfg else False,
        )

    def score(self) -> float:
        return float(self._bleu().score)

    def result_string(self) -> str:
        return str(self._bleu())


class TokenizedBleuScorer(SacrebleuScorer):
    """fairseq's default ``bleu``: BLEU-4 of the (post-processed) token strings as they are,
    unsmoothed (an n-gram order without a match gives 0, as fairseq's own counter does)."""

    uses_detokenized = False

    def _bleu(self) -> Any:
        sacrebleu = _sacrebleu()
        return sacrebleu.corpus_bleu(
            self.preds, [self.refs], tokenize="none", force=True, smooth_method="none"
        )

    def result_string(self) -> str:
        b = self._bleu()
        precisions = "/".join(f"{p:.1f}" for p in b.precisions)
        ratio = b.sys_len / max(b.ref_len, 1)
        return (
            f"BLEU4 = {b.score:.2f}, {precisions} (BP={b.bp:.3f}, ratio={ratio:.3f}, "
            f"syslen={b.sys_len}, reflen={b.ref_len})"
        )
