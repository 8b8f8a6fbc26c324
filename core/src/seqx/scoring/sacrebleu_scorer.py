"""The ``sacrebleu`` scorer: sacreBLEU on detokenized text."""

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
