"""The ``chrf`` and ``wer`` scorers, as fairseq's: chrF through sacreBLEU, and the word
error rate (token edit distance over the references' length, in percent) on text
tokenized as fairseq's EvaluationTokenizer does (a sacreBLEU tokenizer, then punctuation
removal, character units and lowercasing when asked)."""

from __future__ import annotations

import unicodedata
from typing import Any

from seqx.errors import SeqxError
from seqx.scoring.scorer import Scorer

SPACE, SPACE_ESCAPE = " ", "\u2581"


class ChrFScorer(Scorer):
    """Corpus chrF (sacreBLEU's defaults), as fairseq's ``chrf``."""

    def _chrf(self) -> Any:
        import sacrebleu

        return sacrebleu.corpus_chrf(self.preds, [self.refs])

    def score(self) -> float:
        return float(self._chrf().score)

    def result_string(self) -> str:
        return str(self._chrf().format())


def remove_punctuation(text: str) -> str:
    """Drop every token made of punctuation only (Unicode category P*)."""
    return SPACE.join(
        t for t in text.split(SPACE) if not all(unicodedata.category(c)[0] == "P" for c in t)
    )


class EvaluationTokenizer:
    """fairseq's evaluation-time tokenization."""

    def __init__(self, cfg: Any) -> None:
        import sacrebleu

        names = list(sacrebleu.BLEU.TOKENIZERS)
        if cfg.wer_tokenizer not in names:
            raise SeqxError(f"--wer-tokenizer {cfg.wer_tokenizer!r}: choose one of {names}")
        self.cfg = cfg
        self.tokenizer = sacrebleu.BLEU(tokenize=cfg.wer_tokenizer).tokenizer

    def __call__(self, text: str) -> str:
        out = self.tokenizer(text)
        if self.cfg.wer_remove_punct:
            out = remove_punctuation(out)
        if self.cfg.wer_char_level:
            out = SPACE.join(out.replace(SPACE, SPACE_ESCAPE))
        if self.cfg.wer_lowercase:
            out = out.lower()
        return str(out)


class WerScorer(Scorer):
    """Word error rate, in percent of the references' tokens."""

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        from rapidfuzz.distance import Levenshtein

        self.distance_of = Levenshtein.distance
        self.tokenize = EvaluationTokenizer(cfg)
        self.distance = 0
        self.ref_length = 0

    def add_string(self, ref: str, pred: str) -> None:
        super().add_string(ref, pred)
        ref_items, pred_items = self.tokenize(ref).split(), self.tokenize(pred).split()
        self.distance += int(self.distance_of(ref_items, pred_items))
        self.ref_length += len(ref_items)

    def score(self) -> float:
        return 100.0 * self.distance / self.ref_length if self.ref_length > 0 else 0.0

    def result_string(self) -> str:
        return f"WER: {self.score():.2f}"
